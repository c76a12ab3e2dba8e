/**
 * A Mermaid `xychart-beta` line of one metric across registered versions and this PR. GitHub
 * renders Mermaid in comments, so the chart needs no image host. Pure.
 */
import { formatNumber } from "../metrics/format-value.js";
import { plainText } from "../trust/index.js";

export interface ChartPoint {
  label: string;
  value: number;
}

/**
 * Labels become quoted strings on one line (so no label can end the fenced block); Mermaid has no
 * escape for quotes, so they are replaced.
 */
export function mermaidLabel(text: string): string {
  return `"${plainText(text, 40).replace(/["\\]/g, "'")}"`;
}

/** Undefined when fewer than one finite point remains (nothing worth drawing). */
export function renderMetricChart(metric: string, points: readonly ChartPoint[]): string | undefined {
  const finite = points.filter((p) => Number.isFinite(p.value));
  if (finite.length === 0) return undefined;
  const values = finite.map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  // Pad the axis so a flat or tiny change is still visible and the line is not glued to an edge.
  const pad = hi === lo ? Math.max(Math.abs(hi) * 0.05, 0.01) : (hi - lo) * 0.15;
  const min = Number(formatNumber(lo - pad));
  const max = Number(formatNumber(hi + pad));
  return [
    "```mermaid",
    "xychart-beta",
    `    title ${mermaidLabel(`${metric} by version`)}`,
    `    x-axis [${finite.map((p) => mermaidLabel(p.label)).join(", ")}]`,
    `    y-axis ${mermaidLabel(metric)} ${formatAxis(min)} --> ${formatAxis(max)}`,
    `    line [${values.map((v) => formatAxis(v)).join(", ")}]`,
    "```",
  ].join("\n");
}

/** Plain decimal numbers (Mermaid's parser does not take exponents or unicode minus). */
export function formatAxis(n: number): string {
  const text = Number(n.toPrecision(6)).toString();
  return /e/i.test(text) ? n.toFixed(10).replace(/0+$/, "").replace(/\.$/, "") : text;
}
