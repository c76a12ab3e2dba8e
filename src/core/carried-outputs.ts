/**
 * Metrics and plots may live inside one of their own stage's cached outs (dvclive's layout:
 * `outs: [eval]` with `metrics: [eval/metrics.json]`). Such a file is carried by the out: it is
 * stored and git-ignored with the folder, never committed on its own, and read at another
 * revision from the store through the lock's hash of the out.
 */
import type { StageConfig } from "./config/schema.js";
import { outEntryOptions, outEntryPath } from "./config/stage-entries.js";
import { stageOutPaths } from "./dag.js";
import { isSameOrInside, normalizeRepoPath } from "./repo-path.js";

/** True when `path` lies strictly inside one of the stage's cached outs. */
export function isCarriedByOwnOut(stage: StageConfig, path: string): boolean {
  const file = normalizeRepoPath(path);
  return cachedOutPaths(stage).some((out) => file !== out && isSameOrInside(file, out));
}

/** The stage's outs that go to the store (every out but those with `cache: false`). */
export function cachedOutPaths(stage: StageConfig): string[] {
  return stage.outs.filter((e) => outEntryOptions(e).cache).map((e) => normalizeRepoPath(outEntryPath(e)));
}

/** What a run commits to git: `cache: false` outs, and the metrics and plots no cached out carries. */
export function committedOutputPaths(stage: StageConfig): string[] {
  const uncached = stage.outs.filter((e) => !outEntryOptions(e).cache).map(outEntryPath);
  const reports = [...stage.metrics, ...stageOutPaths(stage, "plots")].filter(
    (path) => !isCarriedByOwnOut(stage, path),
  );
  return [...uncached, ...reports];
}
