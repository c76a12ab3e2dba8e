/**
 * What an experiment commit may change: the files `exp run` records (params, lock, metrics, plots
 * and the .gitignore entries written for outs). A commit under an experiment ref that changes
 * anything else (code, config) was not made by `exp run`, so it is never applied blindly. Pure.
 */
import type { Config } from "../config/schema.js";
import { stageOutPaths } from "../dag.js";
import { LOCK_FILE } from "../file-names.js";
import { normalizeRepoPath } from "../repo-path.js";

export function recordedExperimentFiles(config: Config): Set<string> {
  return new Set([
    normalizeRepoPath(config.params),
    LOCK_FILE,
    ...Object.values(config.stages).flatMap((stage) =>
      [...stage.metrics, ...stageOutPaths(stage, "plots")].map(normalizeRepoPath),
    ),
  ]);
}

/** The project-relative paths among `changed` that `exp run` never records. */
export function foreignExperimentFiles(config: Config, changed: readonly string[]): string[] {
  const recorded = recordedExperimentFiles(config);
  return changed.filter((f) => !recorded.has(f) && f.split("/").pop() !== ".gitignore");
}
