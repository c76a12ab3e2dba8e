/**
 * Shared pieces of the registry planners: the plan shape, the refusal error, counted tag names
 * and tag messages. Pure.
 */
import { type ProtectedStagesConfig, protectedStagesOf } from "../config/protected-stages.js";
import { TrainyardError } from "../errors.js";
import type { ArtifactState, RegistryState, VersionState } from "./registry-state.js";
import { formatRegistryTag, isValidArtifactName, type RegistryTag } from "./tag-grammar.js";
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
  /** Stages only commits on the default branch may enter: the model's protected stages. */
  defaultBranchStages?: readonly string[];
}

/** The registry's rules for one model: its stage order and its protected stages. */
export function registryPolicyOf(
  model: ProtectedStagesConfig & { stages: readonly string[] },
): RegistryPolicy {
  return { stages: model.stages, defaultBranchStages: protectedStagesOf(model) };
}

/** Who and why, carried into every tag message. */
export type MessageFields = Omit<TagMessage, "summary" | "forced">;

export const DEFAULT_POLICY: RegistryPolicy = { stages: ["dev", "staging", "production"] };

export function refuse(message: string): never {
  throw new TrainyardError("registry", message);
}

export function artifactOf(state: RegistryState, artifact: string): ArtifactState | undefined {
  if (!isValidArtifactName(artifact)) {
    refuse(
      `'${artifact}' is not a valid registry name: use letters, digits, '-', '_' and '/', starting and ending with a letter or digit, with an optional 'folder:' prefix`,
    );
  }
  return state.artifacts[artifact];
}

/** A counted tag name (`iris#production#5`): counters are per artifact and increase by one. */
export function counted(
  artifact: ArtifactState | undefined,
  tag: Omit<RegistryTag, "counter">,
  offset = 1,
): string {
  return formatRegistryTag({ ...tag, counter: (artifact?.maxCounter ?? 0) + offset });
}

/** The simple name (`iris@deprecated`) unless a tag of that name exists; then the counted one. */
export function simpleOrCounted(
  artifact: ArtifactState | undefined,
  tag: Omit<RegistryTag, "counter">,
): string {
  const simple = formatRegistryTag(tag);
  return artifact?.tagNames.includes(simple) ? counted(artifact, tag) : simple;
}

export function liveVersion(artifact: ArtifactState, version: string): VersionState {
  const v = artifact.versions.find((x) => x.version === version && x.registered);
  if (!v) refuse(`${artifact.name} ${version} is not registered (registered: ${registeredList(artifact)})`);
  if (v.deregistered) refuse(`${artifact.name} ${version} was deregistered and cannot be promoted`);
  return v;
}

function registeredList(artifact: ArtifactState): string {
  const names = artifact.versions.filter((v) => v.registered && !v.deregistered).map((v) => v.version);
  return names.length ? names.slice(0, 10).join(", ") : "none";
}

export function message(
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
