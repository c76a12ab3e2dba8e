/**
 * Stage moves: promote (stage order without skipping; production only from the default branch,
 * unless an admin forces it), roll back, unassign. Pure: the caller supplies reachability.
 */
import type { ArtifactState, RegistryEvent, RegistryState, VersionState } from "./registry-state.js";
import {
  artifactOf,
  counted,
  DEFAULT_POLICY,
  liveVersion,
  type MessageFields,
  message,
  type PlannedTag,
  type RegistryPlan,
  type RegistryPolicy,
  refuse,
} from "./registry-plan.js";
import { protectedStagesOf } from "../config/protected-stages.js";
import { isValidName } from "./tag-grammar.js";

export interface PromoteRequest {
  artifact: string;
  stage: string;
  /** Version to promote; default the latest registered one. */
  version?: string;
  policy?: RegistryPolicy;
  /** Whether the version's commit is reachable from the default branch (checked by the caller). */
  reachableFromDefault?: boolean;
  force?: boolean;
  fields?: MessageFields;
}

export function planPromote(state: RegistryState, req: PromoteRequest): RegistryPlan {
  const policy = req.policy ?? DEFAULT_POLICY;
  const artifact = artifactOf(state, req.artifact);
  if (!isValidName(req.stage)) refuse(`'${req.stage}' is not a valid stage name`);
  if (!artifact?.latest) refuse(`${req.artifact} has no registered version; register one first`);
  const target = liveVersion(artifact, req.version ?? artifact.latest);
  if (policy.stages.length && !policy.stages.includes(req.stage)) {
    refuse(`unknown stage '${req.stage}' for ${req.artifact}: expected one of ${policy.stages.join(", ")}`);
  }
  if (artifact.stages[req.stage]?.version === target.version) {
    refuse(`${req.artifact} ${target.version} is already in ${req.stage}`);
  }
  const overridden = checkPromotionRules(artifact, target, req.stage, policy, req);
  const name = counted(artifact, { action: "assign", artifact: req.artifact, stage: req.stage });
  return {
    artifact: req.artifact,
    version: target.version,
    stage: req.stage,
    overridden,
    tags: [
      {
        name,
        commit: target.commit,
        message: message(`Promote ${req.artifact} ${target.version} to ${req.stage}`, req.fields, overridden),
      },
    ],
  };
}

function checkPromotionRules(
  artifact: ArtifactState,
  target: VersionState,
  stage: string,
  policy: RegistryPolicy,
  req: PromoteRequest,
): string[] {
  const violations: string[] = [];
  if (artifact.deprecated) violations.push(`${artifact.name} is deprecated`);
  const index = policy.stages.indexOf(stage);
  if (index > 0) {
    const previous = policy.stages[index - 1] as string;
    const wasThere = artifact.history.some(
      (e) => e.action === "assign" && e.stage === previous && e.version === target.version,
    );
    if (!wasThere) {
      violations.push(
        `${target.version} has not been in ${previous}; stages go ${policy.stages.join(" → ")}`,
      );
    }
  }
  const guarded = policy.defaultBranchStages ?? protectedStagesOf({ stages: policy.stages });
  if (guarded.includes(stage) && req.reachableFromDefault !== true) {
    violations.push(
      req.reachableFromDefault === false
        ? `commit ${target.commit.slice(0, 12)} of ${target.version} is not on the default branch; ${stage} only takes merged commits`
        : `could not verify that ${target.version} is on the default branch, which ${stage} requires`,
    );
  }
  if (violations.length && !req.force) {
    refuse(
      `cannot promote ${artifact.name} ${target.version} to ${stage}: ${violations.join("; ")} (an admin may override with --force)`,
    );
  }
  return violations;
}

/**
 * Roll a stage back to the version that held it before the current one: unassign the current
 * holder (GTO then shows the previous active assignment) and, if that assignment is no longer
 * active, assign the previous version again.
 */
export function planRollback(
  state: RegistryState,
  req: { artifact: string; stage: string; fields?: MessageFields },
): RegistryPlan {
  const artifact = artifactOf(state, req.artifact);
  const current = artifact?.stages[req.stage];
  if (!artifact || !current) refuse(`${req.artifact} has nothing in ${req.stage} to roll back`);
  const previous = { version: previousHolder(artifact, req.stage, current.version) };
  if (!previous?.version) refuse(`${req.artifact} ${req.stage} has no earlier version to roll back to`);
  const prevVersion = artifact.versions.find((v) => v.version === previous.version) as VersionState;
  const summary = `Roll back ${req.artifact} ${req.stage} from ${current.version} to ${prevVersion.version}`;
  const tags: PlannedTag[] = [
    {
      name: counted(artifact, { action: "unassign", artifact: req.artifact, stage: req.stage }),
      commit: current.commit,
      message: message(summary, req.fields, []),
    },
  ];
  if (!prevVersion.activeStages.includes(req.stage)) {
    tags.push({
      name: counted(artifact, { action: "assign", artifact: req.artifact, stage: req.stage }, 2),
      commit: prevVersion.commit,
      message: message(summary, req.fields, []),
    });
  }
  return { artifact: req.artifact, version: prevVersion.version, stage: req.stage, overridden: [], tags };
}

/** Take a stage away from its current holder (`iris#production!#N`). */
export function planUnassign(
  state: RegistryState,
  req: { artifact: string; stage: string; version?: string; fields?: MessageFields },
): RegistryPlan {
  const artifact = artifactOf(state, req.artifact);
  const version = req.version ?? artifact?.stages[req.stage]?.version;
  const holder = artifact?.versions.find((v) => v.version === version && v.activeStages.includes(req.stage));
  if (!artifact || !holder)
    refuse(`${req.artifact} ${version ?? ""} does not hold ${req.stage}`.replace("  ", " "));
  const name = counted(artifact, { action: "unassign", artifact: req.artifact, stage: req.stage });
  const summary = `Unassign ${req.stage} from ${req.artifact} ${holder.version}`;
  return {
    artifact: req.artifact,
    version: holder.version,
    stage: req.stage,
    overridden: [],
    tags: [{ name, commit: holder.commit, message: message(summary, req.fields, []) }],
  };
}

/**
 * The last version other than `current` that held `stage`, replaying its assignments in order (the
 * holder is the version with the latest assignment not since undone). Replaying, not searching for
 * the last assign tag, keeps a second rollback from handing the stage to the version the first
 * rollback took it from.
 */
function previousHolder(
  artifact: { history: readonly RegistryEvent[]; versions: readonly VersionState[] },
  stage: string,
  current: string,
): string | undefined {
  const live = (version: string | undefined) =>
    version !== undefined && artifact.versions.some((v) => v.version === version && !v.deregistered);
  const assigned = new Map<string, number>();
  let previous: string | undefined;
  artifact.history.forEach((e, index) => {
    if (e.stage !== stage) return;
    const version = e.version ?? artifact.versions.find((v) => v.commit === e.commit)?.version;
    if (!version) return;
    if (e.action === "assign") assigned.set(version, index);
    else if (e.action === "unassign") assigned.delete(version);
    else return;
    const holder = [...assigned].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (holder && holder !== current && live(holder)) previous = holder;
  });
  return previous;
}
