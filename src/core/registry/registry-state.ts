/**
 * The registry state is a pure function of the tag list: replay the registry tags in time order
 * (GTO's rule) and fold them into versions, stage holders and history. Malformed or lightweight
 * registry-looking tags are skipped with a warning, never a crash.
 */
import type { FlatRecord } from "../metrics/flatten.js";
import { compareVersions, parseSemVer } from "./semver.js";
import { parseRegistryTag, type RegistryAction, type RegistryTag } from "./tag-grammar.js";
import { type ArtifactType, parseTagMessage, type TagMessage } from "./tag-message.js";
import { VersionBook, type WorkingVersion } from "./version-book.js";
import { historyEvent } from "./history-event.js";

/** One git tag as read by `listTags` (src/io/git/git.ts) or the GitHub API. */
export interface TagRecord {
  name: string;
  /** The commit the tag points to (peeled). */
  commit: string;
  annotated: boolean;
  /** Tagger date in seconds since the epoch (0 when unknown). */
  date: number;
  tagger?: string;
  message?: string;
}

export interface RegistryEvent {
  tag: string;
  action: RegistryAction;
  artifact: string;
  version?: string;
  stage?: string;
  counter?: number;
  commit: string;
  date: number;
  /** Who did it: the message's actor, else the git tagger. */
  actor?: string;
  message: TagMessage;
}

export interface VersionState {
  version: string;
  commit: string;
  /** False for a commit that was assigned a stage without a version tag (GTO names it by commit). */
  registered: boolean;
  deregistered: boolean;
  tag?: string;
  date: number;
  actor?: string;
  metrics?: FlatRecord;
  cardHash?: string;
  /** Stages this version currently holds an active assignment for. */
  activeStages: string[];
}

export interface StageHolder {
  stage: string;
  version: string;
  commit: string;
  tag: string;
  date: number;
}

export interface ArtifactState {
  name: string;
  type: ArtifactType;
  deprecated: boolean;
  /** Registered versions, highest semver first; unregistered commit "versions" last. */
  versions: VersionState[];
  /** Highest registered, not deregistered version. */
  latest?: string;
  /** Current holder of each stage (most recent active assignment). */
  stages: Record<string, StageHolder>;
  history: RegistryEvent[];
  /** Highest `#N` counter seen; the next counted tag uses N+1. */
  maxCounter: number;
  /** Every registry tag name of this artifact, to avoid creating one that exists. */
  tagNames: string[];
}

export interface RegistryState {
  artifacts: Record<string, ArtifactState>;
  warnings: string[];
}

/** A reviving registration comes after the deprecation it answers, whatever its action's rank. */
function actionRank(event: { tag: { action: RegistryAction }; message: { revives?: boolean } }): number {
  return event.message.revives ? ACTION_ORDER.deprecate + 1 : ACTION_ORDER[event.tag.action];
}

const ACTION_ORDER: Record<RegistryAction, number> = {
  create: 0,
  register: 1,
  assign: 2,
  unassign: 3,
  deregister: 4,
  deprecate: 5,
};

export function buildRegistryState(tags: readonly TagRecord[]): RegistryState {
  const warnings: string[] = [];
  const parsed: { record: TagRecord; tag: RegistryTag; message: TagMessage; order: number }[] = [];
  for (const record of tags) {
    const tag = parseRegistryTag(record.name);
    if (!tag) {
      if (/[@#]/.test(record.name)) {
        warnings.push(
          `skipped tag '${record.name}': not a registry tag (expected e.g. name@v1.2.3, name#stage#N, name@deprecated)`,
        );
      }
      continue;
    }
    if (!record.annotated) {
      warnings.push(`skipped tag '${record.name}': registry tags must be annotated (git tag -a)`);
      continue;
    }
    const message = parseTagMessage(record.message ?? "");
    // Within one second: counted tags by counter; uncounted ones just after the counter they saw.
    const order = tag.counter ?? (message.after !== undefined ? message.after + 0.5 : -1);
    parsed.push({ record, tag, message, order });
  }
  // Time order like GTO; same-second events fall back to the counter, then to a natural action order.
  parsed.sort(
    (a, b) =>
      a.record.date - b.record.date ||
      a.order - b.order ||
      actionRank(a) - actionRank(b) ||
      a.record.name.localeCompare(b.record.name),
  );

  const artifacts = new Map<string, { state: ArtifactState; versions: VersionBook }>();
  parsed.forEach(({ record, tag, message }, index) => {
    let entry = artifacts.get(tag.artifact);
    if (!entry) {
      entry = { state: emptyArtifact(tag.artifact), versions: new VersionBook() };
      artifacts.set(tag.artifact, entry);
    }
    applyEvent(entry.state, entry.versions, record, tag, message, index, warnings);
  });

  const result: Record<string, ArtifactState> = {};
  for (const [name, { state, versions }] of [...artifacts].sort((a, b) => a[0].localeCompare(b[0]))) {
    result[name] = finishArtifact(state, versions);
  }
  return { artifacts: result, warnings };
}

function emptyArtifact(name: string): ArtifactState {
  return {
    name,
    type: "model",
    deprecated: false,
    versions: [],
    stages: {},
    history: [],
    maxCounter: 0,
    tagNames: [],
  };
}

function applyEvent(
  state: ArtifactState,
  versions: VersionBook,
  record: TagRecord,
  tag: RegistryTag,
  message: TagMessage,
  index: number,
  warnings: string[],
): void {
  const actor = message.actor ?? record.tagger;
  state.tagNames.push(record.name);
  if (tag.counter !== undefined) state.maxCounter = Math.max(state.maxCounter, tag.counter);
  if (tag.action === "register" && tag.version) {
    const existing = versions.get(tag.version);
    if (existing && !existing.deregistered) {
      warnings.push(`skipped tag '${record.name}': ${tag.artifact} ${tag.version} is already registered`);
      return;
    }
    versions.set(tag.version, {
      version: tag.version,
      commit: record.commit,
      registered: true,
      deregistered: false,
      tag: record.name,
      date: record.date,
      activeStages: [],
      assignedAt: new Map(),
      ...(actor ? { actor } : {}),
      ...(message.metrics ? { metrics: message.metrics } : {}),
      ...(message.cardHash ? { cardHash: message.cardHash } : {}),
    });
    if (message.type) state.type = message.type;
    state.deprecated = false; // registering a new version revives a deprecated artifact
    state.history.push(historyEvent(record, tag, message, actor, tag.version));
    return;
  }
  if (tag.action === "deregister" && tag.version) {
    const v = versions.get(tag.version);
    if (!v?.registered) {
      warnings.push(`tag '${record.name}' deregisters ${tag.version}, which was never registered`);
    } else {
      v.deregistered = true;
      v.assignedAt.clear();
    }
    state.history.push(historyEvent(record, tag, message, actor, tag.version));
    return;
  }
  if ((tag.action === "assign" || tag.action === "unassign") && tag.stage) {
    const v = versionAtCommit(versions, record.commit, record.date);
    if (tag.action === "assign") v.assignedAt.set(tag.stage, { index, tag: record.name, date: record.date });
    else if (!v.assignedAt.delete(tag.stage)) {
      warnings.push(`tag '${record.name}' unassigns ${tag.stage} from ${v.version}, which did not hold it`);
    }
    state.history.push(historyEvent(record, tag, message, actor, v.version, tag.stage));
    return;
  }
  if (tag.action === "deprecate") state.deprecated = true;
  state.history.push(historyEvent(record, tag, message, actor));
}

/** The version a stage tag refers to: the latest live version registered on that commit. */
function versionAtCommit(versions: VersionBook, commit: string, date: number): WorkingVersion {
  const found = versions.liveAt(commit);
  if (found) return found;
  // GTO allows a stage on an unversioned commit; the commit itself stands in for the version.
  const existing = versions.get(commit);
  if (existing) return existing;
  const created: WorkingVersion = {
    version: commit,
    commit,
    registered: false,
    deregistered: false,
    date,
    activeStages: [],
    assignedAt: new Map(),
  };
  versions.set(commit, created);
  return created;
}

function finishArtifact(state: ArtifactState, versions: Map<string, WorkingVersion>): ArtifactState {
  const holders = new Map<string, { index: number; holder: StageHolder }>();
  const out: VersionState[] = [];
  for (const v of versions.values()) {
    const { assignedAt, ...plain } = v;
    plain.activeStages = [...assignedAt.keys()].sort();
    out.push(plain);
    if (v.deregistered) continue;
    for (const [stage, at] of assignedAt) {
      const current = holders.get(stage);
      if (!current || at.index > current.index) {
        holders.set(stage, {
          index: at.index,
          holder: { stage, version: v.version, commit: v.commit, tag: at.tag, date: at.date },
        });
      }
    }
  }
  out.sort((a, b) =>
    a.registered !== b.registered ? (a.registered ? -1 : 1) : compareVersions(b.version, a.version),
  );
  const live = out.filter((v) => v.registered && !v.deregistered && parseSemVer(v.version));
  const stages: Record<string, StageHolder> = {};
  for (const [stage, { holder }] of [...holders].sort((a, b) => a[0].localeCompare(b[0])))
    stages[stage] = holder;
  return { ...state, versions: out, stages, ...(live[0] ? { latest: live[0].version } : {}) };
}

/** Resolve `iris@v1.3.0`, `iris@latest` or `iris#production` to a version of the state. */
export function findVersion(
  state: RegistryState,
  ref: { artifact: string; version?: string; latest?: boolean; stage?: string },
): VersionState | undefined {
  const artifact = state.artifacts[ref.artifact];
  if (!artifact) return undefined;
  const name = ref.stage ? artifact.stages[ref.stage]?.version : (ref.version ?? artifact.latest);
  return artifact.versions.find((v) => v.version === name && !v.deregistered);
}
