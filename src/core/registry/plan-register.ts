/**
 * Registry rules, enforced before any tag is written (the CLI, the bot and the promote action all
 * go through here): stage order without skipping, production only from the default branch, a
 * version only on a commit with a clean lock. Pure: the caller supplies the facts it checked in
 * git (reachability, lock cleanliness) and creates the returned tags.
 */
import type { RegistryState } from "./registry-state.js";
import { artifactOf, type MessageFields, message, type RegistryPlan, refuse } from "./registry-plan.js";
import { type BumpPart, bumpVersion, parseSemVer } from "./semver.js";
import { formatRegistryTag } from "./tag-grammar.js";

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
          ...(artifact?.deprecated ? { revives: true } : {}),
        },
      },
    ],
  };
}
