/**
 * Plot definitions from `trainyard.yaml`, read as DVC reads `dvc.yaml`: stage `plots:` entries
 * (a path, or `{path: props}`) and top-level `plots:` entries (a path, `{path: props}`, or
 * `{id: props}` whose `y` maps several files to columns). A top-level entry for a path a stage
 * declares gives that plot its properties. Pure.
 */
import { plotEntryKey, plotEntryProps } from "../config/plot-entry.js";
import type { Config, PlotEntry, PlotProps, PLOT_TEMPLATES } from "../config/schema.js";

export type PlotTemplate = (typeof PLOT_TEMPLATES)[number];

export interface PlotSource {
  path: string;
  /** Column on the x axis; undefined: `step` when present, else the row number. */
  x?: string;
  /** Columns on the y axis; empty: the last column that is not x. */
  y: string[];
}

export interface PlotDefinition {
  /** The path, or the id of a top-level multi-file plot. */
  id: string;
  kind: "data" | "image";
  template: PlotTemplate;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  sources: PlotSource[];
}

const IMAGE_FILE = /\.(png|svg|jpe?g|gif|webp)$/i;

export function isImagePath(path: string): boolean {
  return IMAGE_FILE.test(path);
}

/** Every plot the config declares, stage plots first (config order), then top-level-only ones. */
export function collectPlotDefinitions(config: Config): PlotDefinition[] {
  const topLevel = new Map(config.plots.map((entry) => [plotEntryKey(entry), entry] as const));
  const out: PlotDefinition[] = [];
  const seen = new Set<string>();
  for (const stage of Object.values(config.stages)) {
    for (const entry of stage.plots) {
      const id = plotEntryKey(entry);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(definitionOf(topLevel.get(id) ?? entry));
    }
  }
  for (const entry of config.plots) {
    const id = plotEntryKey(entry);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(definitionOf(entry));
  }
  return out;
}

/** The files the plots read (each once), for callers that fetch them at two revisions. */
export function plotFiles(definitions: readonly PlotDefinition[]): string[] {
  return [...new Set(definitions.flatMap((d) => d.sources.map((s) => s.path)))];
}

/** The files one entry reads (its path, or the files its `y` names). */
export function plotEntryFiles(entry: PlotEntry): string[] {
  return definitionOf(entry).sources.map((s) => s.path);
}

function definitionOf(entry: PlotEntry): PlotDefinition {
  const id = plotEntryKey(entry);
  const props: Partial<PlotProps> = plotEntryProps(entry) ?? {};
  const template = props.template ?? "linear";
  const words = {
    ...(props.title !== undefined ? { title: props.title } : {}),
    ...(props.x_label !== undefined ? { xLabel: props.x_label } : {}),
    ...(props.y_label !== undefined ? { yLabel: props.y_label } : {}),
  };
  if (isImagePath(id) && props.y === undefined) {
    return { id, kind: "image", template, ...words, sources: [{ path: id, y: [] }] };
  }
  return { id, kind: "data", template, ...words, sources: sourcesOf(id, props) };
}

function sourcesOf(id: string, props: Partial<PlotProps>): PlotSource[] {
  const columns = (value: string | string[] | undefined) =>
    value === undefined ? [] : typeof value === "string" ? [value] : value;
  const xFor = (path: string) => (typeof props.x === "string" ? props.x : props.x?.[path]);
  const withX = (path: string, y: string[]): PlotSource => {
    const x = xFor(path);
    return x === undefined ? { path, y } : { path, x, y };
  };
  const y = props.y;
  if (y !== undefined && typeof y === "object" && !Array.isArray(y)) {
    return Object.entries(y).map(([path, cols]) => withX(path, columns(cols)));
  }
  return [withX(id, columns(y))];
}
