/**
 * GTO's git tag grammar, so GTO and DVC Studio read our registry and we read theirs:
 *
 *   iris@v1.3.0          register version          iris@v1.3.0!        deregister version
 *   iris#production#4    assign stage (event 4)    iris#production!#5  unassign stage
 *   iris@deprecated      deprecate the artifact    iris#production     assign (simple form)
 *
 * An artifact may carry a folder prefix: people write `dir/sub:iris`, tags spell it `dir/sub=iris`
 * (GTO's `name_to_tag`, since `:` is not allowed in git ref names). Parsed tags and refs always
 * carry the `:` form, so one artifact has one name whichever way it was read.
 * Pure: `parseRegistryTag` never throws; `formatRegistryTag(parseRegistryTag(t)) === t`.
 */
import { SEMVER_SOURCE } from "./semver.js";

export type RegistryAction = "register" | "deregister" | "assign" | "unassign" | "deprecate" | "create";

export interface RegistryTag {
  action: RegistryAction;
  /** Artifact name as people write it (`iris`, or `dir:iris` with a folder prefix). */
  artifact: string;
  version?: string;
  stage?: string;
  /** The `#N` event counter; GTO numbers an artifact's events 1, 2, 3 … */
  counter?: number;
}

/** GTO's name rule: letters, digits, `-`, `_` and `/`; starts and ends with a letter or digit. */
export const NAME_SOURCE = "[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?";
const DIRNAME_SOURCE = "[a-zA-Z0-9\\-_./]+";
const ARTIFACT_SOURCE = `(?:${DIRNAME_SOURCE}:)?${NAME_SOURCE}`;
const ARTIFACT_IN_TAG_SOURCE = `(?:${DIRNAME_SOURCE}=)?${NAME_SOURCE}`;
const NAME_RE = new RegExp(`^${NAME_SOURCE}$`);
const ARTIFACT_RE = new RegExp(`^${ARTIFACT_SOURCE}$`);
const ARTIFACT_IN_TAG_RE = new RegExp(`^${ARTIFACT_IN_TAG_SOURCE}$`);

/** `dir:iris` → `dir=iris` (names hold at most one separator; dirnames have neither). */
export function artifactToTag(artifact: string): string {
  return artifact.replace(":", "=");
}

export function artifactFromTag(inTag: string): string {
  return inTag.replace("=", ":");
}

export function isValidName(name: string): boolean {
  return NAME_RE.test(name);
}

export function isValidArtifactName(name: string): boolean {
  return ARTIFACT_RE.test(name);
}

const COUNTER_RE = /#(0|[1-9][0-9]*)$/;
const VERSION_RE = new RegExp(`^${SEMVER_SOURCE}$`);

/**
 * Hand-split rather than one big regular expression: registries hold thousands of tags and this
 * runs once per tag on every read. Names cannot contain `@`, `#` or `!`, so the first `@`/`#`
 * ends the artifact name.
 */
export function parseRegistryTag(name: string): RegistryTag | undefined {
  if (name.length > 512) return undefined;
  const at = name.indexOf("@");
  const hash = name.indexOf("#");
  const cut = at < 0 ? hash : hash < 0 ? at : Math.min(at, hash);
  if (cut <= 0) return undefined;
  const inTag = name.slice(0, cut);
  if (!ARTIFACT_IN_TAG_RE.test(inTag)) return undefined;
  const artifact = artifactFromTag(inTag);
  let rest = name.slice(cut + 1);
  let counter: number | undefined;
  const c = COUNTER_RE.exec(rest);
  if (c) {
    counter = Number(c[1]);
    if (!Number.isSafeInteger(counter)) return undefined;
    rest = rest.slice(0, rest.length - c[0].length);
  }
  const cancel = rest.endsWith("!");
  const body = cancel ? rest.slice(0, -1) : rest;
  let tag: RegistryTag;
  if (name[cut] === "@") {
    if (!cancel && (body === "deprecated" || body === "created")) {
      tag = { action: body === "deprecated" ? "deprecate" : "create", artifact };
    } else if (VERSION_RE.test(body)) {
      tag = { action: cancel ? "deregister" : "register", artifact, version: body };
    } else return undefined;
  } else if (NAME_RE.test(body)) {
    tag = { action: cancel ? "unassign" : "assign", artifact, stage: body };
  } else return undefined;
  // Set afterwards, not spread in: this runs once per tag of every registry read.
  if (counter !== undefined) tag.counter = counter;
  return tag;
}

export function formatRegistryTag(tag: RegistryTag): string {
  const counter = tag.counter !== undefined ? `#${tag.counter}` : "";
  const artifact = artifactToTag(tag.artifact);
  switch (tag.action) {
    case "register":
      return `${artifact}@${tag.version}${counter}`;
    case "deregister":
      return `${artifact}@${tag.version}!${counter}`;
    case "assign":
      return `${artifact}#${tag.stage}${counter}`;
    case "unassign":
      return `${artifact}#${tag.stage}!${counter}`;
    case "deprecate":
      return `${artifact}@deprecated${counter}`;
    case "create":
      return `${artifact}@created${counter}`;
  }
}

/** What a person types to name a registry object: `iris`, `iris@v1.3.0`, `iris@latest`, `iris#production`. */
export interface RegistryRef {
  artifact: string;
  version?: string;
  latest?: boolean;
  stage?: string;
}

const REF_RE = new RegExp(
  `^(?<artifact>${ARTIFACT_SOURCE})(?:#(?<stage>${NAME_SOURCE})|@(?<version>latest|greatest|${SEMVER_SOURCE}))?$`,
);

/** Parse a registry shortcut; undefined when `text` is not one (e.g. a plain path or commit). */
export function parseRegistryRef(text: string): RegistryRef | undefined {
  const g = REF_RE.exec(text)?.groups;
  if (!g?.artifact) return undefined;
  if (g.stage) return { artifact: g.artifact, stage: g.stage };
  if (g.version === "latest" || g.version === "greatest") return { artifact: g.artifact, latest: true };
  if (g.version) return { artifact: g.artifact, version: g.version };
  return { artifact: g.artifact };
}
