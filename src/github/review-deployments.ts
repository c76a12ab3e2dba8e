/**
 * Custom deployment protection rule reviews, stateless: the facts (check runs, approvals, the
 * reviews we still owe) are read from GitHub each time, and what we asked for or answered is
 * recorded as markers in our own pull-request comments.
 */
import type { Config } from "../core/config/schema.js";
import {
  type ApprovalRecord,
  type CommentLike,
  type DeploymentDecision,
  decideDeployment,
  findApproval,
  findPendingDeployments,
  formatMarker,
  modelsForEnvironment,
  modelsInDeployment,
  type PendingDeployment,
  verdictsFromCheckRuns,
} from "../core/promotion/index.js";
import type { GitHubClient } from "./client.js";
import { parseProtectionCallback, reviewProtectionRule } from "./deployments.js";

export interface ReviewEnv {
  api: GitHubClient;
  owner: string;
  repo: string;
  botLogin: string;
  apiBaseUrl: string;
  config: Config;
}

export interface DeploymentRequest {
  environment: string;
  /** Head commit of the pull request whose approvals and checks count. */
  headSha: string;
  payloadModel?: unknown;
  comments: readonly CommentLike[];
  /** An approval being given right now (not yet in a comment). */
  newApproval?: ApprovalRecord;
}

export async function evaluateDeployment(
  env: ReviewEnv,
  request: DeploymentRequest,
): Promise<DeploymentDecision & { models: string[] }> {
  const { data } = await env.api.rest.checks.listForRef({
    owner: env.owner,
    repo: env.repo,
    ref: request.headSha,
    per_page: 100,
  });
  const verdicts = verdictsFromCheckRuns(data.check_runs);
  const environmentModels = modelsForEnvironment(env.config.models, request.environment);
  const models = modelsInDeployment(environmentModels, verdicts, request.payloadModel);
  const approvals = new Map<string, ApprovalRecord | undefined>();
  for (const model of models) {
    const fresh = request.newApproval;
    const covers =
      fresh && fresh.sha === request.headSha && (fresh.models.length === 0 || fresh.models.includes(model));
    approvals.set(
      model,
      covers ? fresh : findApproval(request.comments, env.botLogin, request.headSha, model),
    );
  }
  return { ...decideDeployment({ environment: request.environment, models, verdicts, approvals }), models };
}

/** Sends the review and returns the marker recording it. */
export async function sendReview(
  env: ReviewEnv,
  callbackUrl: string,
  environment: string,
  decision: { state: "approved" | "rejected"; comment: string },
): Promise<string> {
  const callback = parseProtectionCallback(callbackUrl, env.apiBaseUrl, { owner: env.owner, repo: env.repo });
  await reviewProtectionRule(env.api, callback, {
    environment,
    state: decision.state,
    comment: decision.comment,
  });
  return formatMarker("deployment-answered", { runId: callback.runId, environment, state: decision.state });
}

/**
 * Answers the reviews this pull request is waiting on, now that `approval` arrived. Returns one
 * sentence and one marker per review answered; reviews still waiting stay pending.
 */
export async function answerPendingReviews(
  env: ReviewEnv,
  comments: readonly CommentLike[],
  approval: ApprovalRecord,
): Promise<{ lines: string[]; markers: string[] }> {
  const lines: string[] = [];
  const markers: string[] = [];
  for (const pending of findPendingDeployments(comments, env.botLogin)) {
    const decision = await evaluateDeployment(env, {
      environment: pending.environment,
      headSha: pending.sha,
      payloadModel: pending.models.length === 1 ? pending.models[0] : undefined,
      comments,
      newApproval: approval,
    });
    if (decision.state === "pending") continue;
    markers.push(await sendReview(env, pending.callbackUrl, pending.environment, decision));
    lines.push(describeAnswer(pending, decision.state));
  }
  return { lines, markers };
}

function describeAnswer(pending: PendingDeployment, state: "approved" | "rejected"): string {
  return `The deployment to \`${pending.environment}\` (workflow run ${pending.runId}) is now ${state}.`;
}
