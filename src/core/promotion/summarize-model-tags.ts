/**
 * The registry view promotion needs for one model, rebuilt from tag names and the commits they
 * point at (what `GET /repos/{o}/{r}/tags` returns). Pure. Malformed tags are ignored.
 */
import { compareVersions } from "../registry/semver.js";
import { parseRegistryTag } from "../registry/tag-grammar.js";

export interface TagPointer {
  name: string;
  /** The commit the tag (after peeling) points at. */
  commit: string;
}

export interface StageEvent {
  counter: number;
  /** The version now in the stage; undefined for an unassignment. */
  version?: string;
  commit: string;
}

export interface ModelTags {
  model: string;
  /** Registered (and not deregistered) versions → commit. */
  versions: Map<string, string>;
  latestVersion?: string;
  /** The `#N` for the next event (GTO numbers an artifact's events 1, 2, 3 …). */
  nextCounter: number;
  /** Assignment events per stage, oldest first. */
  stages: Map<string, StageEvent[]>;
}

export function summarizeModelTags(model: string, tags: readonly TagPointer[]): ModelTags {
  const versions = new Map<string, string>();
  const deregistered = new Set<string>();
  const events: { stage: string; counter: number; commit: string; assign: boolean }[] = [];
  let maxCounter = 0;
  for (const tag of tags) {
    const parsed = parseRegistryTag(tag.name);
    if (!parsed || parsed.artifact !== model) continue;
    maxCounter = Math.max(maxCounter, parsed.counter ?? 0);
    if (parsed.action === "register" && parsed.version) versions.set(parsed.version, tag.commit);
    if (parsed.action === "deregister" && parsed.version) deregistered.add(parsed.version);
    if ((parsed.action === "assign" || parsed.action === "unassign") && parsed.stage) {
      events.push({
        stage: parsed.stage,
        counter: parsed.counter ?? 0,
        commit: tag.commit,
        assign: parsed.action === "assign",
      });
    }
  }
  for (const v of deregistered) versions.delete(v);
  const sorted = [...versions.keys()].sort(compareVersions);
  const stages = new Map<string, StageEvent[]>();
  for (const e of events.sort((a, b) => a.counter - b.counter)) {
    const list = stages.get(e.stage) ?? [];
    const version = e.assign ? versionAtCommit(versions, e.commit) : undefined;
    list.push({ counter: e.counter, commit: e.commit, ...(version ? { version } : {}) });
    stages.set(e.stage, list);
  }
  const latest = sorted.at(-1);
  return {
    model,
    versions,
    ...(latest ? { latestVersion: latest } : {}),
    nextCounter: maxCounter + 1,
    stages,
  };
}

/** GTO resolves a stage tag to the version registered on the same commit (the highest, if several). */
function versionAtCommit(versions: ReadonlyMap<string, string>, commit: string): string | undefined {
  const candidates = [...versions].filter(([, c]) => c === commit).map(([v]) => v);
  return candidates.sort(compareVersions).at(-1);
}

export function currentVersionIn(tags: ModelTags, stage: string): string | undefined {
  return tags.stages.get(stage)?.at(-1)?.version;
}

/** Stages a version has ever been assigned to. */
export function stagesOfVersion(tags: ModelTags, version: string): Set<string> {
  const out = new Set<string>();
  for (const [stage, events] of tags.stages) if (events.some((e) => e.version === version)) out.add(stage);
  return out;
}
