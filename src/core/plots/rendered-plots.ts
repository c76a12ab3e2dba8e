/**
 * Where the run action commits each data plot rendered as SVG, so a PR comment can show it by a
 * commit-pinned URL without any image host: one folder next to the metrics, one file per plot.
 * The run action writes there and the report looks there, both through these functions. Pure.
 */
import type { Config } from "../config/schema.js";
import { collectPlotDefinitions, type PlotDefinition } from "./plot-definitions.js";

/** Folder name of the rendered plots, inside the folder of the project's first metrics file. */
export const RENDERED_PLOTS_FOLDER = "trainyard-plots";

/** `metrics/trainyard-plots` when metrics live in `metrics/`; at the root when they do not. */
export function renderedPlotsDir(config: Config): string {
  const first = [
    ...Object.values(config.models).flatMap((m) => (m.metrics ? [m.metrics] : [])),
    ...Object.values(config.stages).flatMap((s) => s.metrics),
  ][0];
  const slash = first?.replace(/\\/g, "/").lastIndexOf("/") ?? -1;
  const dir = first && slash > 0 ? first.slice(0, slash) : "";
  return dir ? `${dir}/${RENDERED_PLOTS_FOLDER}` : RENDERED_PLOTS_FOLDER;
}

/** A plot id as a file name: path separators and anything unusual become `_`; never hidden, never empty. */
function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "") || "plot";
}

/** Data plots' SVG file names in `ids` order, made unique the same way every time. */
export function svgFileNames(ids: readonly string[]): Map<string, string> {
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const id of ids) {
    let name = safeName(id);
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    names.set(id, `${name}.svg`);
  }
  return names;
}

/** Every data plot of the project → the repository path of its committed SVG. */
export function renderedPlotPaths(config: Config): Map<string, string> {
  const dir = renderedPlotsDir(config);
  const ids = collectPlotDefinitions(config)
    .filter((d: PlotDefinition) => d.kind === "data")
    .map((d) => d.id);
  return new Map([...svgFileNames(ids)].map(([id, name]) => [id, `${dir}/${name}`]));
}
