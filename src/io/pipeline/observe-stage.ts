/**
 * What the working tree holds for one stage now (dep and out hashes, params), and the checks
 * that must pass before anything runs: targets exist, every dep exists or some stage writes it.
 */
import type { Config, StageConfig, StoreConfig } from "../../core/config/schema.js";
import { depKey, isExternalSpec } from "../../core/external-dep.js";
import { didYouMean } from "../../core/config/did-you-mean.js";
import type { ParamFiles } from "../../core/config/params.js";
import { type Dag, OUT_KINDS, stageOutPaths } from "../../core/dag.js";
import { TrainyardError, TrainyardErrors } from "../../core/errors.js";
import type { StageObservation } from "../../core/fingerprint.js";
import type { LockEntry, LockStage } from "../../core/lock.js";
import { isSameOrInside, normalizeRepoPath } from "../../core/repo-path.js";
import type { DataContext } from "../data/index.js";
import type { LoadedConfig } from "../config/index.js";
import { hashRepoPath } from "./hash-path.js";
import { existsSync } from "node:fs";
import { join } from "node:path";

export async function observeStage(
  ctx: Pick<DataContext, "repo" | "cache" | "pool" | "store" | "monitor">,
  stage: StageConfig,
  params: unknown,
  paramFiles: ParamFiles = {},
  store?: StoreConfig,
  locked?: LockStage,
): Promise<StageObservation> {
  // The file counts the lock recorded let a big folder be walked on every core from the start
  // (hashTree does so from 4,000 files); without a count a folder is walked on this thread.
  const lockedFiles = new Map<string, number>();
  for (const e of [...(locked?.deps ?? []), ...(locked?.outs ?? [])])
    if (e.files !== undefined) lockedFiles.set(e.path, e.files);
  const hash = (path: string) => {
    const expectedFiles = lockedFiles.get(path);
    return hashRepoPath(ctx, path, expectedFiles === undefined ? {} : { expectedFiles });
  };
  const deps = new Map<string, LockEntry | undefined>();
  for (const dep of stage.deps) {
    if (!isExternalSpec(dep)) deps.set(depKey(dep), await hash(depKey(dep)));
    else {
      // Loaded only for a stage with external deps: it brings the AWS SDK.
      const { observeExternalDep } = await import("../external/index.js");
      deps.set(depKey(dep), await observeExternalDep(dep, ctx.repo.root, store));
    }
  }
  const outs = new Map<string, LockEntry | undefined>();
  for (const kind of OUT_KINDS) {
    for (const path of stageOutPaths(stage, kind).map(normalizeRepoPath)) outs.set(path, await hash(path));
  }
  return { deps, params, paramFiles, outs };
}

/** Stage names given on the command line must exist (with a hint when misspelt). */
export function assertStagesExist(config: Config, names: readonly string[]): void {
  const known = Object.keys(config.stages);
  const errors = names
    .filter((n) => !(n in config.stages))
    .map(
      (n) =>
        new TrainyardError(
          "usage",
          `no stage named "${n}" in trainyard.yaml${didYouMean(n, known)} (stages: ${known.join(", ") || "none"})`,
        ),
    );
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new TrainyardErrors("usage", errors);
}

/** Every dep of the selected stages must exist now or be written by some stage of the pipeline. */
export function assertDepsAvailable(
  root: string,
  loaded: LoadedConfig,
  dag: Dag,
  stages: readonly string[],
): void {
  const errors: TrainyardError[] = [];
  for (const name of stages) {
    loaded.config.stages[name]!.deps.forEach((raw, index) => {
      // External data is looked at when the stage is observed (a network call), not here.
      if (isExternalSpec(raw)) return;
      const dep = normalizeRepoPath(raw);
      if (existsSync(join(root, dep))) return;
      if (dag.outs.some((o) => isSameOrInside(dep, o.path) || isSameOrInside(o.path, dep))) return;
      errors.push(
        new TrainyardError(
          "pipeline",
          `dep "${dep}" of stage "${name}" does not exist and no stage writes it; create it, fix the path, or add the stage that produces it`,
          loaded.locate(["stages", name, "deps", index]),
        ),
      );
    });
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new TrainyardErrors("pipeline", errors);
}
