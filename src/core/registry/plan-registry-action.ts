/**
 * Registry rules, enforced before any tag is written (the CLI, the bot and the promote action all
 * go through here): stage order without skipping, production only from the default branch, a
 * version only on a commit with a clean lock. Pure: the caller supplies the facts it checked in
 * git (reachability, lock cleanliness) and creates the returned tags.
 */
import { TrainyardError } from "../errors.js";
import type { ArtifactState, RegistryState, VersionState } from "./registry-state.js";
import { type BumpPart, bumpVersion, parseSemVer } from "./semver.js";
import { formatRegistryTag, isValidArtifactName, isValidName, type RegistryTag } from "./tag-grammar.js";
import type { TagMessage } from "./tag-message.js";

/** One annotated tag to create: `git tag -a <name> -m <message> <commit>`. */
export interface PlannedTag {
  name: string;
  commit: string;
  message: TagMessage;
}

export interface RegistryPlan {
  artifact: string;
  version?: string;
  stage?: string;
  tags: PlannedTag[];
  /** Rules that `force` overrode; recorded in the tag message too. */
  overridden: string[];
}

export interface RegistryPolicy {
  /** Stage order, e.g. [dev, staging, production]; promotion may not skip a stage. Empty = any stage. */
  stages: readonly string[];
  /** Stages only commits on the default branch may enter (default: `production`, else the last stage). */
  defaultBranchStages?: readonly string[];
}

/** Who and why, carried into every tag message. */
export type MessageFields = Omit<TagMessage, "summary" | "forced">;

const DEFAULT_POLICY: RegistryPolicy = { stages: ["dev", "staging", "production"] };

function refuse(message: string): never {
  throw new TrainyardError("registry", message);
}

function artifactOf(state: RegistryState, artifact: string): ArtifactState | undefined {
  if (!isValidArtifactName(artifact)) {
    refuse(
      `'${artifact}' is not a valid registry name: use lowercase letters, digits, '-' and '/', starting and ending with a letter or digit`,
    );
  }
  return state.artifacts[artifact];
}

/** A counted tag name (`iris#production#5`): counters are per artifact and increase by one. */
function counted(artifact: ArtifactState | undefined, tag: Omit<RegistryTag, "counter">, offset = 1): string {
  return formatRegistryTag({ ...tag, counter: (artifact?.maxCounter ?? 0) + offset });
}

/** The simple name (`iris@deprecated`) unless a tag of that name exists; then the counted one. */
function simpleOrCounted(artifact: ArtifactState | undefined, tag: Omit<RegistryTag, "counter">): string {
  const simple = formatRegistryTag(tag);
  return artifact?.tagNames.includes(simple) ? counted(artifact, tag) : simple;
}

export interface RegisterRequest {
  artifact: string;
  commit: string;
  /** Explicit version, e.g. v1.3.0; otherwise `bump` from the latest (default minor). */
  version?: string;
  bump?: BumpPart;
  /** Whether trainyard.lock at `commit` matches its pipeline (nothing stale). */
  lockClean: boolean;
  /** Why the lock is not clean, for the error message. */
  lockProblem?: string;
  force?: boolean;
  fields?: MessageFields;
}

export function planRegister(state: RegistryState, req: RegisterRequest): RegistryPlan {
  const artifact = artifactOf(state, req.artifact);
  const version = req.version ?? bumpVersion(artifact?.latest, req.bump ?? "minor");
  if (!parseSemVer(version))
    refuse(`version '${version}' is not valid: expected vMAJOR.MINOR.PATCH, e.g. v1.3.0`);
  const existing = artifact?.versions.find((v) => v.version === version);
  if (existing?.registered) {
    refuse(
      `${req.artifact} ${version} is already registered${existing.deregistered ? " (and deregistered)" : ""}`,
    );
  }
  const onCommit = artifact?.versions.find((v) => v.commit === req.commit && v.registered && !v.deregistered);
  if (onCommit)
    refuse(`commit ${req.commit.slice(0, 12)} is already registered as ${req.artifact} ${onCommit.version}`);
  const overridden: string[] = [];
  if (!req.lockClean) {
    const why = `the lock at ${req.commit.slice(0, 12)} is not clean${req.lockProblem ? ` (${req.lockProblem})` : ""}`;
    if (!req.force)
      refuse(
        `cannot register ${req.artifact} ${version}: ${why}; run the pipeline and commit trainyard.lock first`,
      );
    overridden.push(why);
  }
  const name = formatRegistryTag({ action: "register", artifact: req.artifact, version });
  return {
    artifact: req.artifact,
    version,
    overridden,
    tags: [
      {
        name,
        commit: req.commit,
        message: {
          ...message(`Register ${req.artifact} ${version}`, req.fields, overridden),
          after: artifact?.maxCounter ?? 0,
        },
      },
    ],
  };
}

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

function liveVersion(artifact: ArtifactState, version: string): VersionState {
  const v = artifact.versions.find((x) => x.version === version && x.registered);
  if (!v) refuse(`${artifact.name} ${version} is not registered (registered: ${registeredList(artifact)})`);
  if (v.deregistered) refuse(`${artifact.name} ${version} was deregistered and cannot be promoted`);
  return v;
}

function registeredList(artifact: ArtifactState): string {
  const names = artifact.versions.filter((v) => v.registered && !v.deregistered).map((v) => v.version);
  return names.length ? names.slice(0, 10).join(", ") : "none";
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
  const guarded = policy.defaultBranchStages ?? defaultGuardedStages(policy.stages);
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

function defaultGuardedStages(stages: readonly string[]): string[] {
  if (stages.includes("production")) return ["production"];
  const last = stages[stages.length - 1];
  return last ? [last] : ["production"];
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
  const previous = [...artifact.history]
    .reverse()
    .find(
      (e) =>
        e.action === "assign" &&
        e.stage === req.stage &&
        e.version !== current.version &&
        artifact.versions.some((v) => v.version === e.version && !v.deregistered),
    );
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

/** Withdraw one version (`iris@v1.3.0!`); its stage assignments lapse with it. */
export function planDeregister(
  state: RegistryState,
  req: { artifact: string; version: string; fields?: MessageFields },
): RegistryPlan {
  const artifact = artifactOf(state, req.artifact);
  if (!artifact) refuse(`${req.artifact} is not in the registry`);
  const v = liveVersion(artifact, req.version);
  const name = simpleOrCounted(artifact, {
    action: "deregister",
    artifact: req.artifact,
    version: v.version,
  });
  return {
    artifact: req.artifact,
    version: v.version,
    overridden: [],
    tags: [
      {
        name,
        commit: v.commit,
        message: {
          ...message(`Deregister ${req.artifact} ${v.version}`, req.fields, []),
          after: artifact.maxCounter,
        },
      },
    ],
  };
}

/** Retire the whole artifact (`iris@deprecated`), tagged on `commit` (usually HEAD). */
export function planDeprecate(
  state: RegistryState,
  req: { artifact: string; commit: string; fields?: MessageFields },
): RegistryPlan {
  const artifact = artifactOf(state, req.artifact);
  if (!artifact) refuse(`${req.artifact} is not in the registry`);
  if (artifact.deprecated) refuse(`${req.artifact} is already deprecated`);
  const name = simpleOrCounted(artifact, { action: "deprecate", artifact: req.artifact });
  return {
    artifact: req.artifact,
    overridden: [],
    tags: [
      {
        name,
        commit: req.commit,
        message: { ...message(`Deprecate ${req.artifact}`, req.fields, []), after: artifact.maxCounter },
      },
    ],
  };
}

function message(
  summary: string,
  fields: MessageFields | undefined,
  overridden: readonly string[],
): TagMessage {
  return {
    summary,
    ...fields,
    ...(overridden.length
      ? {
          forced: true,
          reason: [fields?.reason, `forced: ${overridden.join("; ")}`].filter(Boolean).join(" — "),
        }
      : {}),
  };
}
