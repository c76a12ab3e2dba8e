/**
 * `deployment_protection_rule` (requested): approve the deployment only when its models passed
 * their gates at the deployed commit (our app's check on `deployment.sha`) and an authorised
 * approver approved exactly that commit — or, for the merge commit GitHub made of a merged pull
 * request, at the head it merged; reject when a gate failed, nothing can be verified, or the
 * deployed commit is neither the pull request's head nor its merge commit (an approval can only
 * be given for the head, so waiting would never end); otherwise ask for an approval on the pull
 * request and answer when `/trainyard approve` arrives (see approve-command). Fails closed.
 */
import type { Config } from "../core/config/schema.js";
import { toError } from "../core/errors.js";
import {
  findPendingDeployments,
  formatMarker,
  type MarkerTrust,
  modelsForEnvironment,
  parseDeploymentPayload,
  repoKey,
} from "../core/promotion/index.js";
import { codeSpan, inlineText } from "../core/trust/index.js";
import type { GitHubClient } from "./client.js";
import { parseProtectionCallback, reviewProtectionRule } from "./deployments.js";
import { loadConfigAtRef } from "./load-repo-config.js";
import { evaluateDeployment, sendReview } from "./review-deployments.js";

export interface ProtectionRuleEvent {
  owner: string;
  repo: string;
  defaultBranch: string;
  environment: string;
  callbackUrl: string;
  deployment: { sha: string; payload?: unknown };
  pullNumbers: number[];
  trust: MarkerTrust;
  apiBaseUrl: string;
}

export type ProtectionOutcome = { state: "approved" | "rejected" | "pending"; comment: string };

export async function handleProtectionRule(
  api: GitHubClient,
  event: ProtectionRuleEvent,
): Promise<ProtectionOutcome> {
  const { owner, repo, environment } = event;
  // Validates the callback before anything else: our token must only go to our own API.
  const callback = parseProtectionCallback(event.callbackUrl, event.apiBaseUrl, { owner, repo });
  const reject = async (comment: string): Promise<ProtectionOutcome> => {
    await reviewProtectionRule(api, callback, { environment, state: "rejected", comment });
    return { state: "rejected", comment };
  };
  try {
    return await review(api, event, callback.runId, reject);
  } catch (error) {
    return reject(
      `Rejected: I could not verify the gates and approvals (${inlineText(toError(error).message, 300)}).`,
    );
  }
}

async function review(
  api: GitHubClient,
  event: ProtectionRuleEvent,
  runId: number,
  reject: (comment: string) => Promise<ProtectionOutcome>,
): Promise<ProtectionOutcome> {
  const { owner, repo, environment } = event;
  // Which model and stage an environment stands for is policy, read from the default branch. The
  // deployed commit can only add models to check (a pull request's new model), never relax one.
  let policy: Config | undefined;
  let atCommit: Config | undefined;
  try {
    policy = await loadConfigAtRef(api, { owner, repo, ref: event.defaultBranch });
  } catch (error) {
    return reject(
      `Rejected: trainyard.yaml on ${codeSpan(event.defaultBranch)} is invalid (${inlineText(toError(error).message, 300)}).`,
    );
  }
  try {
    atCommit = await loadConfigAtRef(api, { owner, repo, ref: event.deployment.sha });
  } catch (error) {
    return reject(
      `Rejected: trainyard.yaml at the deployed commit is invalid (${inlineText(toError(error).message, 300)}).`,
    );
  }
  const config = reviewConfig(policy, atCommit);
  if (!config) return reject("Rejected: there is no trainyard.yaml to read, so no gate or approval applies.");
  if (modelsForEnvironment(config.models, environment).length === 0) {
    return reject(
      `Rejected: no model in trainyard.yaml deploys to ${codeSpan(environment)} (read on ${codeSpan(event.defaultBranch)}: a model's protected stage, its \`environment\`, or a deploy hook's \`environment\`), so Trainyard cannot vouch for it.`,
    );
  }
  const pullNumber =
    event.pullNumbers[0] ?? (await findPullForCommit(api, owner, repo, event.deployment.sha));
  if (pullNumber === undefined) {
    return reject("Rejected: no pull request leads to this commit, so there is no approval to check.");
  }
  const { data: pull } = await api.rest.pulls.get({ owner, repo, pull_number: pullNumber });
  const comments = await api.paginate(api.rest.issues.listComments, {
    owner,
    repo,
    issue_number: pullNumber,
    per_page: 100,
  });
  const env = { api, owner, repo, trust: event.trust, apiBaseUrl: event.apiBaseUrl, config };
  const sha = judgedCommit(event.deployment.sha, pull);
  const where = { repo: repoKey(owner, repo), pull: pullNumber };
  const decision = await evaluateDeployment(env, {
    environment,
    pull: pullNumber,
    sha,
    payloadModel: parseDeploymentPayload(event.deployment.payload) ?? payloadModel(event.deployment.payload),
    comments,
  });
  // `/trainyard approve` only ever approves the pull request's head: waiting for an approval of
  // any other commit would never end.
  if (decision.state === "pending" && sha !== pull.head.sha) {
    return reject(
      `Rejected: the deployed commit ${event.deployment.sha.slice(0, 7)} is not the approved head of #${pullNumber} (${pull.head.sha.slice(0, 7)}) nor its merge commit; an approval covers exactly one commit.`,
    );
  }
  if (decision.state === "pending") {
    const already = findPendingDeployments(comments, event.trust, where).some(
      (p) => p.runId === runId && p.environment === environment,
    );
    if (!already) {
      const marker = formatMarker(event.trust, "deployment-pending", {
        ...where,
        runId,
        environment,
        sha,
        models: decision.models,
        callbackUrl: event.callbackUrl,
      });
      await api.rest.issues.createComment({
        owner,
        repo,
        issue_number: pullNumber,
        body: `${decision.comment}\n\n${marker}`,
      });
    }
    return { state: "pending", comment: decision.comment };
  }
  const marker = await sendReview(env, event.callbackUrl, environment, sha, decision);
  await api.rest.issues.createComment({
    owner,
    repo,
    issue_number: pullNumber,
    body: `${decision.comment}\n\n${marker}`,
  });
  return { state: decision.state, comment: decision.comment };
}

/**
 * The models a review knows: the default branch's as they are there, plus models only the deployed
 * commit declares (so their gates count) without their deploy hooks — a branch's hook must not
 * map an environment to a stage that takes no approval.
 */
function reviewConfig(policy: Config | undefined, atCommit: Config | undefined): Config | undefined {
  const base = policy ?? atCommit;
  if (!base) return undefined;
  const added = Object.entries(atCommit?.models ?? {})
    .filter(([name]) => !policy?.models[name])
    .map(([name, { deploy: _branchHooks, ...model }]) => [name, model] as const);
  return { ...base, models: { ...Object.fromEntries(added), ...(policy?.models ?? {}) } };
}

/**
 * The commit whose gates and approval decide: the deployed commit itself, except that the merge
 * commit GitHub made of a merged pull request stands for the head it merged (the commit the
 * check ran on and the approver approved; the base it was merged into is the protected branch).
 */
function judgedCommit(
  deployed: string,
  pull: { head: { sha: string }; merged?: boolean; merge_commit_sha?: string | null },
): string {
  return pull.merged && pull.merge_commit_sha === deployed ? pull.head.sha : deployed;
}

async function findPullForCommit(api: GitHubClient, owner: string, repo: string, sha: string) {
  try {
    const { data } = await api.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: sha,
    });
    return (data.find((p) => p.merged_at) ?? data[0])?.number;
  } catch {
    return undefined;
  }
}

function payloadModel(payload: unknown): unknown {
  if (typeof payload === "string") {
    try {
      return payloadModel(JSON.parse(payload));
    } catch {
      return undefined;
    }
  }
  return typeof payload === "object" && payload !== null ? (payload as { model?: unknown }).model : undefined;
}
