/**
 * The plot data of one revision, from file texts: each data file parsed into rows. A file that
 * does not parse is kept as an error for its plot to show, so one broken plot never hides the
 * rest of the report (nor fails the gate check, which judges metrics only). Pure.
 */
import { TrainyardError } from "../errors.js";
import { parsePlotRows, type PlotRow } from "./parse-plot-data.js";
import { type PlotDefinition, plotFiles } from "./plot-definitions.js";
import type { ImageRef, PlotRevision } from "./render-plots-section.js";
import { validateBarPlotsOf } from "./validate-bar-data.js";

/** Paths of the data files (not images) the plots read: what a caller fetches as text. */
export function plotDataFiles(definitions: readonly PlotDefinition[]): string[] {
  return plotFiles(definitions.filter((d) => d.kind === "data"));
}

/** Paths of the image plots: what a caller fetches as bytes (or asks git for a blob id). */
export function plotImageFiles(definitions: readonly PlotDefinition[]): string[] {
  return plotFiles(definitions.filter((d) => d.kind === "image"));
}

export function plotRevisionFromTexts(
  definitions: readonly PlotDefinition[],
  texts: Readonly<Record<string, string | undefined>>,
  images: Readonly<Record<string, ImageRef | undefined>> = {},
  label?: string,
): PlotRevision {
  const rows: Record<string, PlotRow[] | undefined> = {};
  const errors: Record<string, string> = {};
  for (const path of plotDataFiles(definitions)) {
    const text = texts[path];
    if (text === undefined) continue;
    try {
      const file = label ? `${path}@${label}` : path;
      const parsed = parsePlotRows(text, path, file);
      validateBarPlotsOf(definitions, path, parsed, file);
      rows[path] = parsed;
    } catch (thrown) {
      if (!(thrown instanceof TrainyardError)) throw thrown;
      errors[path] = thrown.message;
    }
  }
  return { rows, images, errors, ...(label ? { label } : {}) };
}
