/**
 * Which plots a model's report shows. With one model, every plot of the project. With several,
 * the plots of the stages that write the model (its `path`) or its metrics file, and the
 * top-level plots (which belong to no stage). Pure.
 */
import { plotEntryKey } from "../config/plot-entry.js";
import type { Config } from "../config/schema.js";
import { stageOutPaths } from "../dag.js";
import { isSameOrInside, normalizeRepoPath } from "../repo-path.js";
import { collectPlotDefinitions, type PlotDefinition } from "./plot-definitions.js";

export function modelPlots(config: Config, model: string): PlotDefinition[] {
  const all = collectPlotDefinitions(config);
  const spec = config.models[model];
  if (Object.keys(config.models).length <= 1 || !spec) return all;
  const owned = [spec.path, spec.metrics].filter((p): p is string => p !== undefined).map(normalizeRepoPath);
  const ids = new Set(config.plots.map(plotEntryKey));
  for (const stage of Object.values(config.stages)) {
    const writes = [...stageOutPaths(stage, "outs"), ...stage.metrics].map(normalizeRepoPath);
    if (writes.some((w) => owned.some((o) => isSameOrInside(o, w)))) {
      for (const path of stageOutPaths(stage, "plots")) ids.add(path);
    }
  }
  return all.filter((d) => ids.has(d.id));
}
