/**
 * The metrics section of the PR report, focused on what a reviewer must see: failing gates,
 * then changed and gated metrics (biggest moves first), or exactly the rows a model's
 * `report.metrics` lists, in its order. Everything else (unchanged, or not listed) folds into
 * `<details>`. A change is marked better (🟢) or worse (🔴) when the metric's direction is known.
 * Pure.
 */
import type { GateEvaluation } from "../gates.js";
import type { DiffRow } from "../metrics/diff-metrics.js";
import { formatDelta, formatRelative, formatValue } from "../metrics/format-value.js";
import { budgetTable, cell, MIN_ROW, tableHeader, tableRow } from "./markdown.js";
import { type Direction, judgeChange } from "./metric-direction.js";

export interface MetricsTableInput {
  rows: readonly DiffRow[];
  gates?: GateEvaluation;
  /** Column titles of the base and head values (already escaped). */
  baseTitle: string;
  headTitle: string;
  directions?: Readonly<Record<string, Direction>>;
  /** Keys shown in the table, in this order; the rest fold. Default: changed and gated metrics. */
  chosen?: readonly string[];
  /** Decimals of values and changes (default 4). */
  precision?: number;
}

const JUDGEMENT = { better: "🟢", worse: "🔴" } as const;

function arrow(row: DiffRow): string {
  if (row.status === "added") return "🆕";
  if (row.status === "removed") return "🗑️";
  if (row.delta === undefined) return row.status === "changed" ? "≠" : "";
  return row.delta > 0 ? "▲" : row.delta < 0 ? "▼" : "=";
}

/** Rows a reviewer must see first: gated metrics (failing first), then the biggest changes. */
export function orderMetricRows(rows: readonly DiffRow[], gates: GateEvaluation | undefined): DiffRow[] {
  const gateRank = gateRanks(gates);
  const statusRank = { changed: 0, added: 1, removed: 2, unchanged: 3 } as const;
  return [...rows].sort(
    (a, b) =>
      (gateRank.get(a.key) ?? 3) - (gateRank.get(b.key) ?? 3) ||
      statusRank[a.status] - statusRank[b.status] ||
      Math.abs(b.relative ?? 0) - Math.abs(a.relative ?? 0) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

function gateRanks(gates: GateEvaluation | undefined): Map<string, number> {
  const rank = new Map<string, number>();
  for (const r of gates?.results ?? []) {
    const value = r.status === "fail" ? 0 : r.status === "missing" ? 1 : 2;
    rank.set(r.metric, Math.min(value, rank.get(r.metric) ?? 3));
  }
  return rank;
}

/** Split into the rows shown and the rows folded away. */
export function focusMetricRows(input: MetricsTableInput): { shown: DiffRow[]; folded: DiffRow[] } {
  const ordered = orderMetricRows(input.rows, input.gates);
  const ranks = gateRanks(input.gates);
  if (input.chosen) {
    const position = new Map(input.chosen.map((key, i) => [key, i]));
    // A failing or missing gate is never hidden, even when the list leaves it out.
    const alarming = ordered.filter((r) => (ranks.get(r.key) ?? 3) < 2 && !position.has(r.key));
    const listed = input.rows
      .filter((r) => position.has(r.key))
      .sort((a, b) => (position.get(a.key) ?? 0) - (position.get(b.key) ?? 0));
    const shown = [...alarming, ...listed];
    return { shown, folded: ordered.filter((r) => !shown.includes(r)) };
  }
  const shown = ordered.filter((r) => r.status !== "unchanged" || ranks.has(r.key));
  return { shown, folded: ordered.filter((r) => !shown.includes(r)) };
}

export function renderMetricsTable(input: MetricsTableInput, budget: number): string {
  if (input.rows.length === 0) return "";
  const { shown, folded } = focusMetricRows(input);
  const failing = new Set(
    (input.gates?.results ?? []).filter((r) => r.status !== "pass").map((r) => r.metric),
  );
  const multiFile = new Set(input.rows.map((r) => r.file)).size > 1;
  const digits = input.precision ?? 4;
  const row = (r: DiffRow) => {
    const judged = judgeChange(r.delta, input.directions?.[r.key]);
    const change = r.status === "unchanged" ? "=" : `${arrow(r)} ${formatDelta(r.delta, digits)}`.trim();
    return tableRow([
      `${failing.has(r.key) ? "❌ " : ""}${cell(multiFile ? `${r.file}: ${r.key}` : r.key)}`,
      cell(formatValue(r.old, digits)),
      cell(formatValue(r.new, digits)),
      judged ? `${JUDGEMENT[judged]} ${change}` : change,
      r.status === "unchanged" ? "" : formatRelative(r.relative),
    ]);
  };
  const header = tableHeader(
    ["Metric", `Base ${input.baseTitle}`, `Head ${input.headTitle}`, "Change", "%"],
    ["l", "r", "r", "r", "r"],
  );
  const table = (rows: readonly DiffRow[], room: number, lead: string) =>
    budgetTable(
      lead + header,
      // Format only as many rows as could possibly fit; a 50,000-metric diff stays fast.
      rows.slice(0, Math.ceil(room / MIN_ROW)).map(row),
      room,
      (n) => `_Table truncated: ${n} more metrics not shown (full list: \`trainyard metrics diff --all\`)._`,
      rows.length,
    ).text.trimEnd();
  const foldedRoom = folded.length ? Math.min(Math.floor(budget / 3), 400 + folded.length * 120) : 0;
  const main = shown.length
    ? table(shown, budget - foldedRoom, "#### Metrics\n")
    : "#### Metrics\n_No metric changed._";
  if (!folded.length) return main;
  const what = input.chosen ? "other" : "unchanged";
  const open = `\n\n<details><summary>${folded.length} ${what} metric${folded.length === 1 ? "" : "s"}</summary>\n\n`;
  const close = "\n\n</details>";
  const room = budget - main.length - open.length - close.length;
  const rest = room > 200 ? table(folded, room, "") : "";
  return rest ? `${main}${open}${rest}${close}` : main;
}
