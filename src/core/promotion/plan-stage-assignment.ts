/**
 * `/trainyard promote <model> <stage> [version]` and `/trainyard rollback <model> <stage>` as
 * data: which version goes where, the stage tag to create, or why not. Pure.
 *
 * Stage order is enforced: a version enters a stage only after it has been in the stage before
 * it (dev → staging → production), so production never gets a version nobody tried.
 */
import { compareVersions } from "../registry/semver.js";
import { formatRegistryTag } from "../registry/tag-grammar.js";
import { formatTagMessage } from "../registry/tag-message.js";
import { currentVersionIn, type ModelTags, stagesOfVersion } from "./summarize-model-tags.js";

export interface StageAssignment {
  model: string;
  stage: string;
  version: string;
  /** The commit the version was registered on; the stage tag points there too. */
  commit: string;
  tag: { name: string; message: string };
  /** The version the stage held before, if any (for the reply). */
  previous?: string;
}

export type StageAssignmentPlan = { ok: true; assignment: StageAssignment } | { ok: false; reason: string };

export interface AssignmentRequest {
  tags: ModelTags;
  stages: readonly string[];
  stage: string;
  actor: string;
  reason: string;
}

export function planPromotion(request: AssignmentRequest & { version?: string }): StageAssignmentPlan {
  const { tags, stages, stage } = request;
  const model = tags.model;
  const index = stages.indexOf(stage);
  if (index < 0) return refuse(`\`${stage}\` is not a stage of \`${model}\` (stages: ${list(stages)})`);
  const version = request.version ?? tags.latestVersion;
  if (!version) return refuse(`\`${model}\` has no registered version yet`);
  const commit = tags.versions.get(version);
  if (!commit) return refuse(`\`${model}\` has no registered version ${version}`);
  const current = currentVersionIn(tags, stage);
  if (current === version) return refuse(`${model} ${version} is already in \`${stage}\``);
  if (index > 0) {
    const before = stages[index - 1] as string;
    const reached = stagesOfVersion(tags, version);
    const laterOrPrevious = stages.slice(index - 1);
    if (!laterOrPrevious.some((s) => reached.has(s))) {
      return refuse(
        `${model} ${version} has not been in \`${before}\` yet; stages go in order (${stages.join(" → ")}). Promote it to \`${before}\` first`,
      );
    }
  }
  return {
    ok: true,
    assignment: assignment(request, version, commit, current, `Assign ${model} ${version} to ${stage}`),
  };
}

/** Put back the version the stage held before its current one. */
export function planRollback(request: AssignmentRequest): StageAssignmentPlan {
  const { tags, stages, stage } = request;
  const model = tags.model;
  if (!stages.includes(stage))
    return refuse(`\`${stage}\` is not a stage of \`${model}\` (stages: ${list(stages)})`);
  const events = tags.stages.get(stage) ?? [];
  const current = events.at(-1)?.version;
  if (!current)
    return refuse(`\`${stage}\` holds no version of \`${model}\`, so there is nothing to roll back`);
  // Walk back past re-assignments of the current version and versions since deregistered.
  for (let i = events.length - 2; i >= 0; i--) {
    const version = events[i]?.version;
    if (!version || version === current) continue;
    const commit = tags.versions.get(version);
    if (!commit) continue;
    return {
      ok: true,
      assignment: assignment(
        request,
        version,
        commit,
        current,
        `Roll back ${model} in ${stage} to ${version}`,
      ),
    };
  }
  return refuse(`\`${stage}\` has held no earlier version of \`${model}\` than ${current}`);
}

function assignment(
  request: AssignmentRequest,
  version: string,
  commit: string,
  previous: string | undefined,
  summary: string,
): StageAssignment {
  const { tags, stage } = request;
  const name = formatRegistryTag({
    action: "assign",
    artifact: tags.model,
    stage,
    counter: tags.nextCounter,
  });
  return {
    model: tags.model,
    stage,
    version,
    commit,
    tag: { name, message: formatTagMessage({ summary, actor: request.actor, reason: request.reason }) },
    ...(previous ? { previous } : {}),
  };
}

function refuse(reason: string): StageAssignmentPlan {
  return { ok: false, reason: `${reason}.` };
}

function list(stages: readonly string[]): string {
  return stages.map((s) => `\`${s}\``).join(", ");
}

/** Versions newest first, for replies that suggest what could be promoted. */
export function versionsNewestFirst(tags: ModelTags): string[] {
  return [...tags.versions.keys()].sort(compareVersions).reverse();
}
