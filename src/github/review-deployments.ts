/**
 * Custom deployment protection rule reviews, stateless: the facts (our check runs, approvals, the
 * reviews we still owe) are read from GitHub each time, and what we asked for or answered is
 * recorded as signed markers in our own pull-request comments. Everything is judged at one
 * commit (the deployed one, or for a merged pull request's merge commit the head it merged, see
 * handle-protection-rule.ts): its gates are our app's check on that commit, and only an approval
 * of exactly that commit counts (no "descendant without relevant changes" rule: simple to reason
 * about, and it fails closed).
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
  type MarkerTrust,
  modelsInDeployment,
  type PendingDeployment,
  parseDeploymentPayload,
  repoKey,
  stagesForEnvironment,
  verdictsFromCheckRuns,
} from "../core/promotion/index.js";
import { codeSpan } from "../core/trust/index.js";
import type { GitHubClient } from "./client.js";
import { parseProtectionCallback, reviewProtectionRule } from "./deployments.js";

export interface ReviewEnv {
  api: GitHubClient;
  owner: string;
  repo: string;
  /** Our app's identity and marker key: only its checks and markers count. */
  trust: MarkerTrust;
  apiBaseUrl: string;
  config: Config;
}

export interface DeploymentRequest {
  environment: string;
  /** The pull request whose comments hold the approvals. */
  pull: number;
  /** The deployed commit: its checks and an approval of exactly it are what count. */
  sha: string;
  /** The deployment's payload (a Trainyard deployment names its model, version and stage), or its model name. */
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
    ref: request.sha,
    app_id: env.trust.us.appId,
    per_page: 100,
  });
  // Asked for our app's runs only; filtered again in case the API ignored the filter.
  const verdicts = verdictsFromCheckRuns(data.check_runs, env.trust.us);
  // A deployment Trainyard created names its stage: only that stage's mapping to this environment counts.
  const ours = parseDeploymentPayload(request.payloadModel);
  const stages = stagesForEnvironment(env.config.models, request.environment).filter(
    (s) => !ours || s.stage === ours.stage,
  );
  const environmentModels = [...new Set(stages.map((s) => s.model))];
  const payloadModel = ours?.model ?? request.payloadModel;
  const models = modelsInDeployment(environmentModels, verdicts, payloadModel);
  // Approval is asked unless every stage the model deploys here by is unprotected.
  const withoutApproval = new Set(models.filter((m) => stages.every((s) => s.model !== m || !s.protected)));
  const where = { repo: repoKey(env.owner, env.repo), pull: request.pull };
  const approvals = new Map<string, ApprovalRecord | undefined>();
  for (const model of models) {
    const fresh = request.newApproval;
    const covers =
      fresh &&
      fresh.sha === request.sha &&
      fresh.repo === where.repo &&
      fresh.pull === where.pull &&
      (fresh.models.length === 0 || fresh.models.includes(model));
    approvals.set(
      model,
      covers ? fresh : findApproval(request.comments, env.trust, where, request.sha, model),
    );
  }
  return {
    ...decideDeployment({ environment: request.environment, models, verdicts, approvals, withoutApproval }),
    models,
  };
}

/** Sends the review and returns the marker recording it. */
export async function sendReview(
  env: ReviewEnv,
  callbackUrl: string,
  environment: string,
  sha: string,
  decision: { state: "approved" | "rejected"; comment: string },
): Promise<string> {
  const callback = parseProtectionCallback(callbackUrl, env.apiBaseUrl, { owner: env.owner, repo: env.repo });
  await reviewProtectionRule(env.api, callback, {
    environment,
    state: decision.state,
    comment: decision.comment,
  });
  return formatMarker(env.trust, "deployment-answered", {
    repo: repoKey(env.owner, env.repo),
    runId: callback.runId,
    environment,
    state: decision.state,
    sha,
  });
}

/**
 * Answers the reviews this pull request is waiting on, now that `approval` arrived. Returns one
 * sentence and one marker per review answered; reviews still waiting stay pending.
 */
export async function answerPendingReviews(
  env: ReviewEnv,
  pull: number,
  comments: readonly CommentLike[],
  approval: ApprovalRecord,
): Promise<{ lines: string[]; markers: string[] }> {
  const lines: string[] = [];
  const markers: string[] = [];
  const where = { repo: repoKey(env.owner, env.repo), pull };
  for (const pending of findPendingDeployments(comments, env.trust, where)) {
    const decision = await evaluateDeployment(env, {
      environment: pending.environment,
      pull,
      sha: pending.sha,
      payloadModel: pending.models.length === 1 ? pending.models[0] : undefined,
      comments,
      newApproval: approval,
    });
    if (decision.state === "pending") continue;
    markers.push(await sendReview(env, pending.callbackUrl, pending.environment, pending.sha, decision));
    lines.push(describeAnswer(pending, decision.state));
  }
  return { lines, markers };
}

function describeAnswer(pending: PendingDeployment, state: "approved" | "rejected"): string {
  return `The deployment to ${codeSpan(pending.environment)} (workflow run ${pending.runId}) is now ${state}.`;
}
