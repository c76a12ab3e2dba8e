/**
 * `/trainyard exp key=values…` on a pull request, for writers: ONE `repository_dispatch`
 * (`trainyard-experiments`) carrying every variant of the sweep, which the example experiments.yml
 * fans out as a matrix (one job per variant: `exp run`, then `exp push`). The variants start from
 * the pull request's head and never touch its branch. The reply records the dispatch (a signed
 * marker), and the experiments comment appears at once with every variant pending.
 */
import { resolveAccessPolicy } from "../../core/authorization/index.js";
import { toError } from "../../core/errors.js";
import {
  type DispatchRecord,
  DISPATCH_RECORD_KIND,
  dispatchedVariants,
  EXPERIMENTS_EVENT,
  type ExperimentsPayload,
  type Overrides,
  sweepNames,
} from "../../core/experiments/index.js";
import { repoKey } from "../../core/promotion/index.js";
import { formatSignedMarker } from "../../core/trust/index.js";
import { authorizeActor } from "../authorize-actor.js";
import { readPullHead } from "../experiments/read-pull-head.js";
import { refreshExperimentsComment } from "../experiments/refresh-experiments-comment.js";
import { type CommandEnv, type CommandResult, denied, NOTHING_CHANGED, refused } from "./command-env.js";

export async function runExperimentsCommand(
  env: CommandEnv,
  command: { variants: readonly Overrides[] },
): Promise<CommandResult> {
  if (!env.issue.isPull)
    return refused("`exp` works on a pull request: its variants start from the pull request's head.");
  const decision = await authorizeActor(env.api, {
    owner: env.owner,
    repo: env.repo,
    what: "`exp`",
    actor: env.actor,
    policy: resolveAccessPolicy(undefined, "experiment"),
  });
  if (!decision.allowed) return denied(decision);
  const where = { owner: env.owner, repo: env.repo, pull: env.issue.number };
  const head = await readPullHead(env.api, where);
  if (!head.ok) return refused(`${head.reason}. ${NOTHING_CHANGED}`);

  const names = sweepNames(head.sha, command.variants);
  const payload: ExperimentsPayload = {
    pull: env.issue.number,
    base: head.sha,
    variants: dispatchedVariants(names, command.variants),
    requested_by: env.actor.login,
  };
  await env.api.rest.repos.createDispatchEvent({
    owner: env.owner,
    repo: env.repo,
    event_type: EXPERIMENTS_EVENT,
    client_payload: { ...payload },
  });
  const record: DispatchRecord = {
    repo: repoKey(env.owner, env.repo),
    pull: env.issue.number,
    base: head.sha,
    names,
    by: env.actor.login,
  };
  // The dispatch is sent: a failure to draw the comment now must not lose the reply that records it
  // (the comment is drawn again when the first job finishes).
  const drawn = await refreshExperimentsComment(
    env.api,
    { ...where, defaultBranch: env.defaultBranch },
    env.trust,
    record,
  ).then(
    () => "",
    (error: unknown) => ` (The experiments comment could not be drawn yet: ${toError(error).message}.)`,
  );
  return {
    ok: true,
    message: `sent \`${EXPERIMENTS_EVENT}\` with ${names.length} variant(s) of ${head.sha.slice(0, 7)}: ${names.map((n) => `\`${n}\``).join(", ")}. The experiments comment ranks them as the jobs finish.${drawn}`,
    markers: [formatSignedMarker(env.trust.key, DISPATCH_RECORD_KIND, record)],
  };
}
