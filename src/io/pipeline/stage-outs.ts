/**
 * What happens to a stage's declared outputs around its command: cleared before it runs (except
 * `persist: true` outs, which the command updates in place), hashed afterwards (into the store,
 * except `cache: false` outs, which are committed to git), and git-ignored when cached.
 */
import { mkdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { StageConfig } from "../../core/config/schema.js";
import { outEntryOptions, outEntryPath } from "../../core/config/stage-entries.js";
import { OUT_KINDS, type OutKind, stageOutPaths } from "../../core/dag.js";
import type { LockEntry } from "../../core/lock.js";
import { normalizeRepoPath } from "../../core/repo-path.js";
import type { DataContext } from "../data/index.js";
import { addGitIgnoreEntry } from "../fs/index.js";
import { hashRepoPath } from "./hash-path.js";

export type StoredOuts = Record<OutKind, LockEntry[]>;

/**
 * The run cache replays a stage's outs from the store, so it is skipped for a stage whose result
 * is not a function of its inputs (always_changed, a persisted out that carries the previous
 * run's state) or not in the store (a `cache: false` out). DVC's run cache skips the same stages.
 */
export function usesRunCache(stage: StageConfig): boolean {
  if (stage.always_changed) return false;
  return stage.outs.every((entry) => {
    const options = outEntryOptions(entry);
    return options.cache && !options.persist;
  });
}

export function declaredOutPaths(stage: StageConfig): Record<OutKind, string[]> {
  return {
    outs: stageOutPaths(stage, "outs").map(normalizeRepoPath),
    metrics: stageOutPaths(stage, "metrics").map(normalizeRepoPath),
    plots: stageOutPaths(stage, "plots").map(normalizeRepoPath),
  };
}

function persistedPaths(stage: StageConfig): Set<string> {
  return new Set(
    stage.outs.filter((e) => outEntryOptions(e).persist).map((e) => normalizeRepoPath(outEntryPath(e))),
  );
}

/** Remove declared outs before running, so a stale out is never mistaken for a fresh one. */
export async function clearOuts(ctx: DataContext, stage: StageConfig): Promise<void> {
  const persisted = persistedPaths(stage);
  for (const kind of OUT_KINDS) {
    for (const path of stageOutPaths(stage, kind).map(normalizeRepoPath)) {
      const abs = ctx.guard.check(join(ctx.repo.root, path), "clear");
      if (!persisted.has(path)) await rm(abs, { recursive: true, force: true });
      await mkdir(dirname(abs), { recursive: true });
    }
  }
}

/** Hash every out (into the store unless `cache: false`); a message when the command did not write one. */
export async function storeOuts(ctx: DataContext, stage: StageConfig): Promise<StoredOuts | string> {
  const stored: StoredOuts = { outs: [], metrics: [], plots: [] };
  const uncached = new Set(
    stage.outs.filter((e) => !outEntryOptions(e).cache).map((e) => normalizeRepoPath(outEntryPath(e))),
  );
  for (const kind of OUT_KINDS) {
    for (const path of stageOutPaths(stage, kind).map(normalizeRepoPath)) {
      const inGit = kind === "outs" && uncached.has(path);
      const entry = await hashRepoPath(ctx, path, inGit ? {} : { store: ctx.store });
      if (!entry)
        return `the command succeeded but did not write its ${kind === "outs" ? "out" : kind} "${path}"`;
      stored[kind].push(inGit ? { ...entry, cache: false } : entry);
    }
  }
  return stored;
}

/** Cached outs live in the store, not in git; `cache: false` outs, metrics and plots are committed. */
export async function ignoreOuts(ctx: DataContext, stage: StageConfig): Promise<void> {
  for (const entry of stage.outs) {
    if (!outEntryOptions(entry).cache) continue;
    const path = normalizeRepoPath(outEntryPath(entry));
    await addGitIgnoreEntry(ctx.guard, join(ctx.repo.root, dirname(path)), basename(path));
  }
}
