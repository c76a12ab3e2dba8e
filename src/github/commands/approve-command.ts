/**
 * `/trainyard approve [model]` on a pull request: an authorised approver (permission level,
 * `approvers`, not the author unless allowed) approves the PR's current head for production.
 * The approval names the exact head commit and is recorded as a signed marker in the bot's reply
 * (durable; unforgeable, see core/promotion/bot-markers.ts), and any deployment review waiting
 * on this pull request is answered right away.
 */
import { type Lookup, resolveAccessPolicy } from "../../core/authorization/index.js";
import {
  type ApprovalRecord,
  formatMarker,
  gateProblem,
  type GateVerdicts,
  repoKey,
  verdictsFromCheckRuns,
} from "../../core/promotion/index.js";
import { authorizeActor } from "../authorize-actor.js";
import { httpStatus } from "../client.js";
import { answerPendingReviews } from "../review-deployments.js";
import { type CommandEnv, type CommandResult, denied, findModel, isResult, refused } from "./command-env.js";

export async function runApprove(env: CommandEnv, model: string | undefined): Promise<CommandResult> {
  if (!env.issue.isPull)
    return refused("`approve` works on a pull request: it approves that pull request's models.");
  const models = model ? [model] : Object.keys(env.config.models);
  if (models.length === 0) return refused("trainyard.yaml declares no models to approve.");
  const configs = [];
  for (const name of models) {
    const config = findModel(env, name);
    if (isResult(config)) return config;
    configs.push(config);
  }
  const pull = await readPull(env);
  for (const [i, name] of models.entries()) {
    const decision = await authorizeActor(env.api, {
      owner: env.owner,
      repo: env.repo,
      what: `approving \`${name}\` for production`,
      actor: env.actor,
      policy: resolveAccessPolicy(configs[i], "approve"),
      pullRequestAuthor: pull.author,
    });
    if (!decision.allowed) return denied(decision);
  }
  if (!pull.headSha)
    return refused(`I could not read this pull request (${pull.error}), so nothing was approved.`);

  const approval: ApprovalRecord = {
    repo: repoKey(env.owner, env.repo),
    pull: env.issue.number,
    sha: pull.headSha,
    models: model ? [model] : [],
    by: env.actor.login,
  };
  const comments = await env.api.paginate(env.api.rest.issues.listComments, {
    owner: env.owner,
    repo: env.repo,
    issue_number: env.issue.number,
    per_page: 100,
  });
  const answered = await answerPendingReviews(env, env.issue.number, comments, approval);
  const what = model ? `\`${model}\`` : models.map((m) => `\`${m}\``).join(", ");
  const warnings = await gateWarnings(env, pull.headSha, models);
  return {
    ok: true,
    message: [
      `approved ${what} for production at ${pull.headSha.slice(0, 7)}.`,
      ...warnings,
      ...answered.lines,
    ].join(" "),
    markers: [formatMarker(env.trust, "approval", approval), ...answered.markers],
  };
}

/** An approval does not override the gates: say so now rather than at deployment time. */
async function gateWarnings(env: CommandEnv, sha: string, models: readonly string[]): Promise<string[]> {
  const { data } = await env.api.rest.checks.listForRef({
    owner: env.owner,
    repo: env.repo,
    ref: sha,
    app_id: env.trust.us.appId,
    per_page: 100,
  });
  const verdicts = verdictsFromCheckRuns(data.check_runs, env.trust.us);
  return models.flatMap((m) => {
    if (untouchedByPull(verdicts, m, models)) return [];
    const problem = gateProblem(m, verdicts.get(m));
    return problem ? [`Note: ${problem}, so a deployment of \`${m}\` will be rejected until it passes.`] : [];
  });
}

// Approving every model of a PR that touched only some: the untouched ones have no check, no warning.
function untouchedByPull(verdicts: GateVerdicts, model: string, models: readonly string[]): boolean {
  return models.length > 1 && !verdicts.has(model);
}

async function readPull(
  env: CommandEnv,
): Promise<{ author: Lookup<string>; headSha?: string; error?: string }> {
  try {
    const { data } = await env.api.rest.pulls.get({
      owner: env.owner,
      repo: env.repo,
      pull_number: env.issue.number,
    });
    const login = data.user?.login;
    return {
      author: login
        ? { known: true, value: login }
        : { known: false, error: "the pull request has no author" },
      headSha: data.head.sha,
    };
  } catch (error) {
    const reason = `GitHub answered HTTP ${httpStatus(error) ?? "error"}`;
    return { author: { known: false, error: reason }, error: reason };
  }
}
