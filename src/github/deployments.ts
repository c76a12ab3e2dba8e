/**
 * Deployments two ways:
 * - answering a custom deployment protection rule: POST `{state, environment_name, comment}` to
 *   the `deployment_callback_url` GitHub put in the `deployment_protection_rule` webhook (it is
 *   `/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule`);
 * - without protection rules (private repos off Enterprise): creating the deployment and its
 *   status ourselves once an approver promoted to production.
 */
import type { Octokit } from "@octokit/rest";
import { TrainyardError } from "../core/errors.js";

type Api = Pick<Octokit, "rest" | "request">;

const CALLBACK_PATH = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/deployment_protection_rule$/;

export interface ProtectionCallback {
  owner: string;
  repo: string;
  runId: number;
}

/**
 * Accept only a callback on our own API host and for the repository the event came from: the
 * installation token goes wherever this URL points.
 */
export function parseProtectionCallback(
  url: string,
  apiBaseUrl: string,
  expected: { owner: string; repo: string },
): ProtectionCallback {
  let parsed: URL;
  let base: URL;
  try {
    parsed = new URL(url);
    base = new URL(apiBaseUrl.endsWith("/") ? apiBaseUrl : `${apiBaseUrl}/`);
  } catch {
    throw new TrainyardError("github", `deployment_callback_url ${JSON.stringify(url)} is not a URL`);
  }
  const path = parsed.pathname.startsWith(base.pathname)
    ? `/${parsed.pathname.slice(base.pathname.length)}`
    : "";
  const match = CALLBACK_PATH.exec(path);
  const sameRepo =
    match &&
    decodeURIComponent(match[1]!).toLowerCase() === expected.owner.toLowerCase() &&
    decodeURIComponent(match[2]!).toLowerCase() === expected.repo.toLowerCase();
  if (parsed.origin !== base.origin || !sameRepo) {
    throw new TrainyardError(
      "github",
      `refusing deployment_callback_url ${url}: not this repository's review endpoint`,
    );
  }
  return { owner: expected.owner, repo: expected.repo, runId: Number(match[3]) };
}

export async function reviewProtectionRule(
  api: Api,
  callback: ProtectionCallback,
  review: { environment: string; state: "approved" | "rejected"; comment: string },
): Promise<void> {
  await api.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule", {
    owner: callback.owner,
    repo: callback.repo,
    run_id: callback.runId,
    environment_name: review.environment,
    state: review.state,
    // GitHub limits the review comment; keep it readable rather than let the call fail.
    comment: review.comment.slice(0, 1000),
  });
}

export interface DeployRequest {
  owner: string;
  repo: string;
  /** The commit to deploy (the version's commit). */
  sha: string;
  environment: string;
  description: string;
  payload: Record<string, string>;
  production: boolean;
}

/** Creates a deployment and marks it successful; returns its id. */
export async function createDeploymentWithStatus(api: Api, request: DeployRequest): Promise<number> {
  const { data } = await api.rest.repos.createDeployment({
    owner: request.owner,
    repo: request.repo,
    ref: request.sha,
    environment: request.environment,
    description: request.description,
    payload: request.payload,
    // The version's commit was gated already; merge-commit statuses are not our business.
    auto_merge: false,
    required_contexts: [],
    production_environment: request.production,
  });
  if (!("id" in data)) {
    throw new TrainyardError(
      "github",
      `GitHub did not create the deployment: ${data.message ?? "no reason given"}`,
    );
  }
  await api.rest.repos.createDeploymentStatus({
    owner: request.owner,
    repo: request.repo,
    deployment_id: data.id,
    state: "success",
    environment: request.environment,
    description: request.description.slice(0, 140),
  });
  return data.id;
}
