/**
 * After the schema and before the rules, put every stage path in one frame: the repository root.
 * `wdir` (DVC semantics): deps, outs, metrics, plots and named params files are written relative to
 * the stage's working directory. Top-level `metrics:` (DVC's) are attached to the stage whose
 * cached out holds them, so `run` checks the stage wrote them and the lock records their hash.
 */
import { posix } from "node:path";
import { isCarriedByOwnOut } from "../carried-outputs.js";
import { isExternalSpec } from "../external-dep.js";
import { plotEntryKey, plotEntryProps } from "./plot-entry.js";
import type { Config, PlotEntry, StageConfig } from "./schema.js";
import { type OutEntry, outEntryOptions, outEntryPath, type ParamsEntry } from "./stage-entries.js";

function underWdir(wdir: string, path: string): string {
  // An absolute path stays as written, so the path rule reports it (joining would hide it).
  if (posix.isAbsolute(path) || /^[A-Za-z]:|^\\/.test(path)) return path;
  // posix.join normalises `..`; a path that leaves the repository is caught by the path rule.
  return posix.join(wdir, path);
}

function moveOut(wdir: string, entry: OutEntry): OutEntry {
  const path = underWdir(wdir, outEntryPath(entry));
  return typeof entry === "string" ? path : { [path]: outEntryOptions(entry) };
}

function moveParams(wdir: string, entry: ParamsEntry): ParamsEntry {
  if (typeof entry === "string") return entry;
  return Object.fromEntries(Object.entries(entry).map(([file, keys]) => [underWdir(wdir, file), keys]));
}

function movePlot(wdir: string, entry: PlotEntry): PlotEntry {
  const path = underWdir(wdir, plotEntryKey(entry));
  const props = plotEntryProps(entry);
  return props === undefined ? path : { [path]: props };
}

export function applyWdir(stage: StageConfig): StageConfig {
  const wdir = stage.wdir === undefined ? "" : posix.normalize(stage.wdir);
  if (wdir === "" || wdir === ".") return stage;
  return {
    ...stage,
    // An external dep (s3://, https://, an absolute file) names the same data from any folder.
    deps: stage.deps.map((p) => (isExternalSpec(p) ? p : underWdir(wdir, p))),
    params: stage.params.map((e) => moveParams(wdir, e)),
    outs: stage.outs.map((e) => moveOut(wdir, e)),
    metrics: stage.metrics.map((p) => underWdir(wdir, p)),
    plots: stage.plots.map((e) => movePlot(wdir, e)),
  };
}

/** The stage whose cached out holds `path` (strictly inside it), if any. */
export function stageCarrying(config: Pick<Config, "stages">, path: string): string | undefined {
  return Object.keys(config.stages).find((name) => isCarriedByOwnOut(config.stages[name]!, path));
}

export function resolveStagePaths(config: Config): Config {
  const stages: Record<string, StageConfig> = {};
  for (const [name, stage] of Object.entries(config.stages)) stages[name] = applyWdir(stage);
  for (const metric of config.metrics) {
    const owner = stageCarrying({ stages }, metric);
    const stage = owner === undefined ? undefined : stages[owner];
    if (stage && owner !== undefined && !stage.metrics.includes(metric))
      stages[owner] = { ...stage, metrics: [...stage.metrics, metric] };
  }
  return { ...config, stages };
}
