/**
 * Plots that read best as tables in a comment: a confusion matrix with each cell's change, and
 * a bar plot (`bar_horizontal`) as category, base, head, change. All user text is escaped. Pure.
 */
import { formatDelta, formatNumber } from "../metrics/format-value.js";
import { tableHeader, tableRow } from "../report/markdown.js";
import { type ConfusionMatrix, cellValue } from "./confusion-matrix.js";
import { tableCell } from "../trust/untrusted-text.js";
import type { PlotSeries } from "./plot-series.js";

/** Rows and columns shown; a 200-class matrix would not fit a comment (and nobody reads it there). */
export const MAX_CLASSES = 20;
export const MAX_BARS = 40;

export function renderConfusionTable(
  base: ConfusionMatrix | undefined,
  head: ConfusionMatrix | undefined,
  normalized: boolean,
): string {
  const labels = [...new Set([...(head?.labels ?? []), ...(base?.labels ?? [])])].sort();
  const shown = labels.slice(0, MAX_CLASSES);
  const fmt = (n: number) => (normalized ? n.toFixed(2) : formatNumber(n));
  const header = tableHeader(
    ["actual \\ predicted", ...shown.map((l) => `**${tableCell(l, 40)}**`)],
    ["l", ...shown.map(() => "r" as const)],
  );
  const rows = shown.map((actual) =>
    tableRow([
      `**${tableCell(actual, 40)}**`,
      ...shown.map((predicted) => {
        const after = cellValue(head, actual, predicted);
        if (!base || !head) return fmt(head ? after : cellValue(base, actual, predicted));
        const delta = after - cellValue(base, actual, predicted);
        const change = normalized ? Number(delta.toFixed(2)) : delta;
        if (change === 0) return fmt(after);
        return `${fmt(after)} (${change > 0 ? "+" : ""}${fmt(change)})`;
      }),
    ]),
  );
  const more = labels.length - shown.length;
  const note = more > 0 ? `\n_…and ${more} more classes (\`trainyard plots diff\`)._` : "";
  const side = !head ? " (base only: removed at head)" : !base ? " (new at head)" : " (head, change vs base)";
  return `Cells${side}:\n\n${header}${rows.join("")}${note}`.trimEnd();
}

export function renderBarTable(base: readonly PlotSeries[], head: readonly PlotSeries[]): string {
  // bar_horizontal draws the numeric column against a category column; take whichever is which.
  const categories = (series: readonly PlotSeries[]) =>
    new Map(series.flatMap((s) => s.points.map((p) => [`${s.name}\u0000${String(p.x)}`, p.y] as const)));
  const before = categories(base);
  const after = categories(head);
  const keys = [...new Set([...after.keys(), ...before.keys()])];
  const multi = new Set([...base, ...head].map((s) => s.name)).size > 1;
  const rows = keys.slice(0, MAX_BARS).map((key) => {
    const [series = "", category = ""] = key.split("\u0000");
    const b = before.get(key);
    const h = after.get(key);
    const name = multi ? `${tableCell(series, 40)}: ${tableCell(category, 60)}` : tableCell(category, 80);
    const change = b !== undefined && h !== undefined ? formatDelta(h - b) : "";
    return tableRow([
      name,
      b === undefined ? "—" : formatNumber(b),
      h === undefined ? "—" : formatNumber(h),
      change,
    ]);
  });
  const more = keys.length - Math.min(keys.length, MAX_BARS);
  const note = more > 0 ? `\n_…and ${more} more bars (\`trainyard plots diff\`)._` : "";
  return `${tableHeader(["", "Base", "Head", "Change"], ["l", "r", "r", "r"])}${rows.join("")}${note}`.trimEnd();
}
