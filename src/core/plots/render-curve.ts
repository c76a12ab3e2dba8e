/**
 * A curve plot (linear, scatter, smooth templates) as a Mermaid `xychart-beta`, base and head as
 * two lines per series, sampled on one shared grid so a 10,000-point ROC stays a readable chart
 * and a small comment. GitHub renders Mermaid in comments, so no image host is needed. Pure.
 */
import { formatAxis, mermaidLabel } from "../report/render-chart.js";
import { inlineText } from "../trust/untrusted-text.js";
import type { PlotDefinition } from "./plot-definitions.js";
import { type PlotSeries, resampleCurve } from "./plot-series.js";

/** Points per line: enough to show a curve's shape, few enough to keep the comment small. */
export const CURVE_POINTS = 21;
/** Series drawn per chart (each twice: base and head); the rest are named below the chart. */
export const MAX_SERIES = 4;

/** Head lines strong, base lines the same hue paler, in the order the lines are written. */
const HEAD_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"] as const;
const BASE_COLORS = ["#aec7e8", "#ff9896", "#98df8a", "#c5b0d5"] as const;
const COLOR_NAMES = ["blue", "red", "green", "purple"] as const;

export function renderCurve(
  definition: PlotDefinition,
  base: readonly PlotSeries[],
  head: readonly PlotSeries[],
): string | undefined {
  const names = [...new Set([...head, ...base].map((s) => s.name))];
  const drawn = names.slice(0, MAX_SERIES);
  const xs = [...base, ...head]
    .filter((s) => drawn.includes(s.name))
    .flatMap((s) => s.points.map((p) => p.x))
    .filter((x): x is number => typeof x === "number");
  if (xs.length === 0) return undefined;
  // reduce, not Math.min(...xs): a spread of a million points overflows the call stack.
  const lo = xs.reduce((a, b) => Math.min(a, b));
  const hi = xs.reduce((a, b) => Math.max(a, b));
  const count = lo === hi ? 1 : CURVE_POINTS;
  const lines: { values: (number | undefined)[]; color: string }[] = [];
  const legend: string[] = [];
  drawn.forEach((name, i) => {
    const sample = (series: readonly PlotSeries[]) => {
      const found = series.find((s) => s.name === name);
      return found ? resampleCurve(found.points, lo, hi, count) : undefined;
    };
    const b = sample(base);
    const h = sample(head);
    const parts: string[] = [];
    if (b) {
      lines.push({ values: b, color: BASE_COLORS[i] as string });
      parts.push(`pale ${COLOR_NAMES[i]}: base`);
    }
    if (h) {
      lines.push({ values: h, color: HEAD_COLORS[i] as string });
      parts.push(`${COLOR_NAMES[i]}: head`);
    }
    legend.push(`**${inlineText(name, 60)}** (${parts.join(", ")})`);
  });
  const all = lines.flatMap((l) => l.values).filter((v): v is number => v !== undefined);
  if (all.length === 0) return undefined;
  const yLo = all.reduce((a, b) => Math.min(a, b));
  const yHi = all.reduce((a, b) => Math.max(a, b));
  const pad = yHi === yLo ? Math.max(Math.abs(yHi) * 0.05, 0.01) : (yHi - yLo) * 0.05;
  const first = [...head, ...base][0];
  const xLabel = definition.xLabel ?? first?.xColumn ?? "x";
  const yLabel = definition.yLabel ?? (drawn.length === 1 ? (drawn[0] as string) : "value");
  const chart = [
    "```mermaid",
    "---",
    "config:",
    "  themeVariables:",
    "    xyChart:",
    `      plotColorPalette: "${lines.map((l) => l.color).join(", ")}"`,
    "---",
    "xychart-beta",
    `    title ${mermaidLabel(definition.title ?? definition.id)}`,
    `    x-axis ${mermaidLabel(xLabel)} ${formatAxis(lo)} --> ${formatAxis(hi)}`,
    `    y-axis ${mermaidLabel(yLabel)} ${formatAxis(yLo - pad)} --> ${formatAxis(yHi + pad)}`,
    // A gap (x outside one revision's range) repeats the nearest value: Mermaid lines cannot break.
    ...lines.map((l) => `    line [${fillGaps(l.values).map(formatAxis).join(", ")}]`),
    "```",
  ].join("\n");
  const more = names.length - drawn.length;
  const rest = more > 0 ? ` _…and ${more} more series (\`trainyard plots diff\`)._` : "";
  return `${chart}\n${legend.join(" · ")}${rest}`;
}

function fillGaps(values: readonly (number | undefined)[]): number[] {
  const firstKnown = values.find((v) => v !== undefined) ?? 0;
  let last = firstKnown;
  return values.map((v) => {
    if (v !== undefined) last = v;
    return last;
  });
}
