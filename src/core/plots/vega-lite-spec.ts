/**
 * A Vega-Lite spec for each data plot, base and head overlaid (colour = revision), for the
 * interactive HTML and the SVG export of `trainyard plots show|diff`. Templates as in DVC: lines
 * (linear, smooth via loess), points (scatter), a heatmap with counts per revision (confusion),
 * grouped horizontal bars (bar_horizontal). Pure: definitions and rows in, JSON specs out.
 */
import { type ConfusionMatrix, confusionMatrix } from "./confusion-matrix.js";
import type { PlotDefinition } from "./plot-definitions.js";
import { type PlotRowsByPath, type PlotSeries, plotSeries, resolveColumns } from "./plot-series.js";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Points per series in the HTML: plenty for any curve, small enough for a browser. */
export const MAX_SPEC_POINTS = 2_000;

export interface RevisionData {
  /** "base" / "head", or the revision's label. */
  name: string;
  rows: PlotRowsByPath;
}

export type VegaLiteSpec = Record<string, unknown>;

export function vegaLiteSpec(
  definition: PlotDefinition,
  revisions: readonly RevisionData[],
): VegaLiteSpec | undefined {
  if (definition.kind === "image") return undefined;
  const title = definition.title ?? definition.id;
  const base = { $schema: VEGA_LITE_SCHEMA, title, width: 420, height: 300 };
  const order = revisions.map((r) => r.name);
  const color = { field: "revision", type: "nominal", title: "revision", scale: { domain: order } };
  switch (definition.template) {
    case "confusion":
    case "confusion_normalized":
      return confusionSpec(definition, revisions, base, order);
    case "bar_horizontal": {
      // Several value columns (precision and recall per class) become one bar per class and column.
      const raw = seriesValues(definition, revisions);
      const multi = new Set(raw.map((v) => v.series)).size > 1;
      const values = multi ? raw.map((v) => ({ ...v, x: `${String(v.x)} · ${v.series}` })) : raw;
      return {
        ...base,
        data: { values },
        mark: "bar",
        encoding: {
          y: { field: "x", type: "nominal", title: definition.yLabel ?? firstColumn(values, "xColumn") },
          yOffset: { field: "revision", sort: order },
          x: { field: "y", type: "quantitative", title: definition.xLabel ?? firstColumn(values, "yColumn") },
          color,
        },
      };
    }
    default: {
      const values = seriesValues(definition, revisions);
      const multi = new Set(values.map((v) => v.series)).size > 1;
      const encoding = {
        x: { field: "x", type: "quantitative", title: definition.xLabel ?? firstColumn(values, "xColumn") },
        y: { field: "y", type: "quantitative", title: definition.yLabel ?? firstColumn(values, "yColumn") },
        color,
        ...(multi ? { strokeDash: { field: "series", type: "nominal", title: "series" } } : {}),
        tooltip: [{ field: "revision" }, { field: "series" }, { field: "x" }, { field: "y" }],
      };
      if (definition.template === "scatter") {
        return {
          ...base,
          data: { values },
          mark: { type: "point", filled: true },
          encoding: { ...encoding, shape: encoding.strokeDash },
        };
      }
      const smooth = definition.template === "smooth";
      return {
        ...base,
        data: { values },
        ...(smooth
          ? { transform: [{ loess: "y", on: "x", groupby: ["revision", "series"], bandwidth: 0.3 }] }
          : {}),
        mark: { type: "line", ...(smooth ? {} : { point: values.length <= 60 }) },
        encoding: smooth ? { ...encoding, tooltip: undefined } : encoding,
      };
    }
  }
}

interface SeriesValue {
  revision: string;
  series: string;
  x: number | string;
  y: number;
  xColumn: string;
  yColumn: string;
}

function seriesValues(definition: PlotDefinition, revisions: readonly RevisionData[]): SeriesValue[] {
  return revisions.flatMap((rev) =>
    plotSeries(definition, rev.rows).flatMap((s: PlotSeries) =>
      thin(s.points).map((p) => ({
        revision: rev.name,
        series: s.name,
        x: p.x,
        y: p.y,
        xColumn: s.xColumn,
        yColumn: s.yColumn,
      })),
    ),
  );
}

/** Every k-th point (first and last kept) so no series exceeds MAX_SPEC_POINTS. */
function thin<T>(points: readonly T[]): T[] {
  if (points.length <= MAX_SPEC_POINTS) return [...points];
  const step = (points.length - 1) / (MAX_SPEC_POINTS - 1);
  return Array.from({ length: MAX_SPEC_POINTS }, (_, i) => points[Math.round(i * step)] as T);
}

function firstColumn(values: readonly SeriesValue[], key: "xColumn" | "yColumn"): string {
  const names = [...new Set(values.map((v) => v[key]))];
  return names.length === 1 ? (names[0] as string) : key === "xColumn" ? "x" : "value";
}

function confusionSpec(
  definition: PlotDefinition,
  revisions: readonly RevisionData[],
  base: Record<string, unknown>,
  order: readonly string[],
): VegaLiteSpec {
  const normalized = definition.template === "confusion_normalized";
  const source = definition.sources[0];
  const values = revisions.flatMap((rev) => {
    const rows = source ? rev.rows[source.path] : undefined;
    if (!source || !rows) return [];
    const columns = rows[0] ? Object.keys(rows[0]) : [];
    const actual = source.x ?? (columns.includes("actual") ? "actual" : (columns[0] ?? "actual"));
    const predicted =
      source.y[0] ??
      (columns.includes("predicted") ? "predicted" : (resolveColumns(source, rows).y[0] ?? "predicted"));
    return cells(confusionMatrix(rows, actual, predicted, normalized), rev.name);
  });
  // A faceted spec sizes its cells in `spec`; width/height at the top would not validate.
  const { width: _width, height: _height, ...head } = base;
  return {
    ...head,
    data: { values },
    facet: { column: { field: "revision", type: "nominal", sort: order, title: null } },
    spec: {
      width: 260,
      height: 260,
      encoding: {
        x: { field: "predicted", type: "nominal", title: definition.xLabel ?? "predicted" },
        y: { field: "actual", type: "nominal", title: definition.yLabel ?? "actual" },
      },
      layer: [
        {
          mark: "rect",
          encoding: {
            color: { field: "value", type: "quantitative", title: normalized ? "share" : "count" },
          },
        },
        {
          mark: { type: "text" },
          encoding: { text: { field: "value", type: "quantitative", format: normalized ? ".2f" : "d" } },
        },
      ],
    },
  };
}

function cells(matrix: ConfusionMatrix, revision: string) {
  return matrix.labels.flatMap((actual) =>
    matrix.labels.map((predicted) => ({
      revision,
      actual,
      predicted,
      value: matrix.cells[actual]?.[predicted] ?? 0,
    })),
  );
}
