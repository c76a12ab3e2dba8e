/**
 * What the bot owes an open pull request, read from GitHub alone (the bot keeps no state): the
 * report, when the head commit lacks one of our check runs, and the answers to deployment
 * protection reviews it recorded as pending that can be decided now. Used on start and on a
 * timer, so work acknowledged but lost in a crash is done; the live path does the same work
 * the same idempotent way (sticky comment by marker, check run by name and head, answered
 * reviews by marker), so running both never doubles anything.
 */
import { toError } from "../core/errors.js";
import { findPendingDeployments, type MarkerTrust, repoKey } from "../core/promotion/index.js";
import { isOwnCheckRun } from "../core/trust/index.js";
import type { GitHubClient } from "./client.js";
import { checkRunName } from "./create-or-update-check-run.js";
import { loadConfigAtRef } from "./load-repo-config.js";
import { evaluateDeployment, sendReview } from "./review-deployments.js";

export interface PullWhere {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
}

/** True when the head should carry our check runs (it has a trainyard.yaml) and lacks one. */
export async function isReportMissing(
  api: GitHubClient,
  pull: PullWhere,
  trust: MarkerTrust,
): Promise<boolean> {
  const { owner, repo, headSha } = pull;
  let expected: string[];
  try {
    const config = await loadConfigAtRef(api, { owner, repo, ref: headSha });
    if (!config) return false;
    expected = Object.keys(config.models).map(checkRunName);
  } catch {
    expected = [checkRunName("config")];
  }
  const runs = await api.paginate(api.rest.checks.listForRef, { owner, repo, ref: headSha, per_page: 100 });
  const ours = runs.filter((r) => r.head_sha === headSha && isOwnCheckRun(r, trust.us));
  const present = new Set(ours.map((r) => r.name));
  return expected.some((name) => !present.has(name));
}

export interface PendingReviewEnv {
  owner: string;
  repo: string;
  trust: MarkerTrust;
  apiBaseUrl: string;
}

/**
 * Answers the reviews recorded as pending on this pull request that can be decided now (an
 * approval or a check arrived while no delivery reached us). Returns how many were answered.
 */
export async function answerDecidablePendingReviews(
  api: GitHubClient,
  env: PendingReviewEnv,
  number: number,
): Promise<number> {
  const { owner, repo } = env;
  const comments = await api.paginate(api.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100,
  });
  const pending = findPendingDeployments(comments, env.trust, { repo: repoKey(owner, repo), pull: number });
  let answered = 0;
  for (const request of pending) {
    // As the live path judges it (handle-protection-rule.ts): the deployed commit's models.
    const config = await loadConfigAtRef(api, { owner, repo, ref: request.sha }).catch(() => undefined);
    if (!config) continue;
    const review = { api, owner, repo, trust: env.trust, apiBaseUrl: env.apiBaseUrl, config };
    const decision = await evaluateDeployment(review, {
      environment: request.environment,
      pull: number,
      sha: request.sha,
      payloadModel: request.models.length === 1 ? request.models[0] : undefined,
      comments,
    }).catch((error: unknown) => ({
      state: "rejected" as const,
      comment: `Rejected: I could not verify the gates and approvals (${toError(error).message}).`,
      models: request.models,
    }));
    if (decision.state === "pending") continue;
    const marker = await sendReview(review, request.callbackUrl, request.environment, request.sha, decision);
    await api.rest.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body: `${decision.comment}\n\n${marker}`,
    });
    answered += 1;
  }
  return answered;
}
