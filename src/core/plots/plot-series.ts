/**
 * The series a data plot draws at one revision: one per (file, y column), each a list of points.
 * Columns default as in DVC: x is `step` when the data has it, else the row number; y is the last
 * column that is not x. Pure.
 */
import type { PlotRow } from "./parse-plot-data.js";
import type { PlotDefinition, PlotSource } from "./plot-definitions.js";

export interface PlotPoint {
  /** A number on curves; a category name on bar plots. */
  x: number | string;
  y: number;
}

export interface PlotSeries {
  /** The y column, prefixed with the file when the plot reads several files. */
  name: string;
  xColumn: string;
  yColumn: string;
  points: PlotPoint[];
}

/** Rows of each plot file at one revision (undefined: the file does not exist there). */
export type PlotRowsByPath = Readonly<Record<string, readonly PlotRow[] | undefined>>;

export const ROW_NUMBER = "row";

export function resolveColumns(source: PlotSource, rows: readonly PlotRow[]): { x: string; y: string[] } {
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  const x = source.x ?? (columns.includes("step") ? "step" : ROW_NUMBER);
  const y = source.y.length ? source.y : columns.filter((c) => c !== x).slice(-1);
  return { x, y };
}

export function plotSeries(definition: PlotDefinition, data: PlotRowsByPath): PlotSeries[] {
  const multiFile = definition.sources.length > 1;
  return definition.sources.flatMap((source) => {
    const rows = data[source.path];
    if (!rows) return [];
    const { x, y } = resolveColumns(source, rows);
    return y.map(
      (yColumn) =>
        barSeries(definition, rows, x, yColumn, multiFile ? source.path : undefined) ?? {
          name: multiFile ? `${source.path}: ${yColumn}` : yColumn,
          xColumn: x,
          yColumn,
          points: rows.flatMap((row, index): PlotPoint[] => {
            const yValue = toNumber(row[yColumn]);
            const xValue = x === ROW_NUMBER && !(x in row) ? index : row[x];
            if (yValue === undefined || xValue === undefined || xValue === null) return [];
            const xNumber = toNumber(xValue);
            return [{ x: xNumber ?? String(xValue), y: yValue }];
          }),
        },
    );
  });
}

/**
 * DVC's `bar_horizontal` puts the value on x and the category on y (`x: importance, y: feature`):
 * read it as category → value. Undefined when the columns are the other way round already.
 */
function barSeries(
  definition: PlotDefinition,
  rows: readonly PlotRow[],
  x: string,
  y: string,
  file: string | undefined,
): PlotSeries | undefined {
  if (definition.template !== "bar_horizontal") return undefined;
  const first = rows[0];
  if (!first || toNumber(first[y]) !== undefined || toNumber(first[x]) === undefined) return undefined;
  return {
    name: file ? `${file}: ${x}` : x,
    xColumn: y,
    yColumn: x,
    points: rows.flatMap((row) => {
      const value = toNumber(row[x]);
      const category = row[y];
      return value === undefined || category === undefined || category === null
        ? []
        : [{ x: String(category), y: value }];
    }),
  };
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Sample a curve at `count` evenly spaced x positions between `lo` and `hi` by linear
 * interpolation (a ROC curve of 10,000 thresholds becomes a readable 20 points; two revisions
 * sampled on one grid line up point for point). Outside the curve's own x range: undefined.
 */
export function resampleCurve(
  points: readonly PlotPoint[],
  lo: number,
  hi: number,
  count: number,
): (number | undefined)[] {
  const numeric = points
    .filter((p): p is { x: number; y: number } => typeof p.x === "number")
    .sort((a, b) => a.x - b.x || a.y - b.y);
  const grid = Array.from({ length: count }, (_, i) =>
    count === 1 ? lo : lo + ((hi - lo) * i) / (count - 1),
  );
  let j = 0;
  return grid.map((x) => {
    while (j + 1 < numeric.length && (numeric[j + 1] as { x: number }).x <= x) j++;
    const a = numeric[j];
    if (!a || x < a.x - 1e-12) return undefined;
    const b = numeric[j + 1];
    if (!b || a.x === x) return a.y;
    const t = (x - a.x) / (b.x - a.x);
    return a.y + t * (b.y - a.y);
  });
}
