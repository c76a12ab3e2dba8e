/**
 * A stage's fingerprint — sha256 over its cmd, dep hashes, param values and declared outs — and
 * the explanation of *why* a stage is stale, found by comparing what is on disk to its lock entry.
 */
import { createHash } from "node:crypto";
import type { StageConfig } from "./config/schema.js";
import { leafParams, type ParamFiles, selectParams } from "./config/params.js";
import { OUT_KINDS, type OutKind, stageOutPaths } from "./dag.js";
import type { LockEntry, LockStage } from "./lock.js";
import { depKey } from "./external-dep.js";
import { normalizeRepoPath } from "./repo-path.js";

export interface StageInputs {
  cmd: string;
  /** Current hash of every dep, by normalised path. */
  deps: readonly LockEntry[];
  params: Readonly<Record<string, unknown>>;
  outs: readonly { kind: OutKind; path: string }[];
}

/** Stable JSON: object keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function declaredOutList(stage: StageConfig): { kind: OutKind; path: string }[] {
  return OUT_KINDS.flatMap((kind) =>
    stageOutPaths(stage, kind).map((p) => ({ kind, path: normalizeRepoPath(p) })),
  );
}

export function stageFingerprint(inputs: StageInputs): string {
  const material = {
    v: 1,
    cmd: inputs.cmd,
    deps: [...inputs.deps].map((d) => [d.path, d.hash]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    params: inputs.params,
    outs: inputs.outs.map((o) => `${o.kind}:${o.path}`).sort(),
  };
  return `sha256:${createHash("sha256").update(canonicalJson(material)).digest("hex")}`;
}

export type StaleReason =
  | { kind: "never-run" }
  | { kind: "forced" }
  | { kind: "cmd-changed"; before: string; after: string }
  | { kind: "dep-added" | "dep-removed" | "dep-modified" | "dep-missing"; path: string }
  | { kind: "param-changed"; key: string; before: unknown; after: unknown }
  | { kind: "outs-changed" }
  | { kind: "out-missing" | "out-modified"; path: string }
  | { kind: "upstream"; stage: string }
  | { kind: "always-changed" };

export function describeReason(r: StaleReason): string {
  switch (r.kind) {
    case "never-run":
      return "never run (no entry in trainyard.lock)";
    case "forced":
      return "forced (--force)";
    case "cmd-changed":
      return `cmd changed (was: ${r.before})`;
    case "dep-added":
      return `dep ${r.path} added`;
    case "dep-removed":
      return `dep ${r.path} removed`;
    case "dep-modified":
      return `dep ${r.path} changed`;
    case "dep-missing":
      return `dep ${r.path} is missing`;
    case "param-changed":
      return `param ${r.key}: ${JSON.stringify(r.before) ?? "(unset)"} → ${JSON.stringify(r.after) ?? "(unset)"}`;
    case "outs-changed":
      return "declared outs changed";
    case "out-missing":
      return `out ${r.path} is missing`;
    case "out-modified":
      return `out ${r.path} was modified`;
    case "upstream":
      return `upstream stage ${r.stage} will re-run`;
    case "always-changed":
      return "always_changed: runs every time";
  }
}

/** What the working tree holds now for one stage; `undefined` marks a missing path. */
export interface StageObservation {
  deps: ReadonlyMap<string, LockEntry | undefined>;
  params: unknown;
  /** Other params files the stage names (`{other.yaml: [k]}`), by repository path. */
  paramFiles?: ParamFiles;
  outs: ReadonlyMap<string, LockEntry | undefined>;
}

export interface StageStatus {
  stage: string;
  stale: boolean;
  reasons: StaleReason[];
  /** Undefined when a dep is missing (nothing to fingerprint yet). */
  fingerprint: string | undefined;
  /** `frozen: true`: never stale, and not re-run when an upstream stage changes. */
  frozen?: boolean;
}

export function currentInputs(stage: StageConfig, seen: StageObservation): StageInputs | undefined {
  const deps: LockEntry[] = [];
  for (const path of stage.deps.map(depKey)) {
    const entry = seen.deps.get(path);
    if (!entry) return undefined;
    deps.push(entry);
  }
  return {
    cmd: stage.cmd,
    deps,
    params: selectParams(seen.params, stage.params, seen.paramFiles),
    outs: declaredOutList(stage),
  };
}

/** Compare the observation to the lock entry and list every reason the stage is stale. */
export function explainStage(
  name: string,
  stage: StageConfig,
  seen: StageObservation,
  locked: LockStage | undefined,
): StageStatus {
  const inputs = currentInputs(stage, seen);
  const fingerprint = inputs ? stageFingerprint(inputs) : undefined;
  // DVC semantics: a frozen stage is not checked at all; an always_changed one is always stale.
  if (stage.frozen) return { stage: name, stale: false, reasons: [], fingerprint, frozen: true };
  const reasons: StaleReason[] = stage.always_changed ? [{ kind: "always-changed" }] : [];
  const depPaths = stage.deps.map(depKey);
  for (const path of depPaths) if (!seen.deps.get(path)) reasons.push({ kind: "dep-missing", path });
  if (!locked) {
    reasons.unshift({ kind: "never-run" });
    return { stage: name, stale: true, reasons, fingerprint };
  }
  if (locked.cmd !== stage.cmd) reasons.push({ kind: "cmd-changed", before: locked.cmd, after: stage.cmd });
  const lockedDeps = new Map(locked.deps.map((d) => [d.path, d]));
  for (const path of depPaths) {
    const now = seen.deps.get(path);
    const before = lockedDeps.get(path);
    // A missing dep was reported above; "added" or "modified" on top would say it twice.
    if (!now) continue;
    if (!before) reasons.push({ kind: "dep-added", path });
    else if (now.hash !== before.hash) reasons.push({ kind: "dep-modified", path });
  }
  for (const path of lockedDeps.keys())
    if (!depPaths.includes(path)) reasons.push({ kind: "dep-removed", path });
  const params = selectParams(seen.params, stage.params, seen.paramFiles);
  // Locks written before params were stored leaf by leaf hold whole sections: compare leaves.
  const lockedParams = leafParams(locked.params);
  const keys = new Set([...Object.keys(params), ...Object.keys(lockedParams)]);
  for (const key of [...keys].sort()) {
    const before = lockedParams[key];
    const after = params[key];
    if (canonicalJson(before) !== canonicalJson(after) || key in params !== key in lockedParams) {
      reasons.push({ kind: "param-changed", key, before, after });
    }
  }
  const lockedOuts = [...locked.outs, ...locked.metrics, ...locked.plots];
  const declared = declaredOutList(stage);
  const lockedKinds = OUT_KINDS.flatMap((kind) => locked[kind].map((o) => `${kind}:${o.path}`)).sort();
  if (canonicalJson(declared.map((o) => `${o.kind}:${o.path}`).sort()) !== canonicalJson(lockedKinds)) {
    reasons.push({ kind: "outs-changed" });
  }
  for (const out of lockedOuts) {
    if (!declared.some((d) => d.path === out.path)) continue;
    const now = seen.outs.get(out.path);
    if (!now) reasons.push({ kind: "out-missing", path: out.path });
    else if (now.hash !== out.hash) reasons.push({ kind: "out-modified", path: out.path });
  }
  for (const d of declared) {
    if (!lockedOuts.some((o) => o.path === d.path) && !seen.outs.get(d.path))
      reasons.push({ kind: "out-missing", path: d.path });
  }
  return { stage: name, stale: reasons.length > 0, reasons, fingerprint };
}
