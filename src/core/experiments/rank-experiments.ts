/**
 * The pull request's experiments comment: every variant ranked by the main metric (the first gated
 * metric, in the direction its gate points), variants that pass every gate first, then the ones
 * still running. Every cell goes through the one escaping function for user text. Pure.
 */
import type { GateSpec } from "../gates.js";
import { asNumber } from "../metrics/flatten.js";
import { codeSpan } from "../trust/index.js";
import type { ExperimentRow, ExperimentTable, ModelGates } from "./build-table.js";
import { renderMarkdown, tableColumns } from "./render-table.js";

export interface RankKey {
  /** Column of the table (bare, or `file:metric` when there are several metrics files). */
  metric: string;
  descending: boolean;
}

function direction(spec: GateSpec): boolean | undefined {
  if (spec.min !== undefined || spec.max_drop !== undefined) return true;
  if (spec.max !== undefined || spec.max_rise !== undefined) return false;
  return undefined;
}

/** The first gated metric of the first gated model, and which way is better; undefined without gates. */
export function rankKeyOf(table: ExperimentTable, models: readonly ModelGates[]): RankKey | undefined {
  for (const model of models) {
    for (const [metric, spec] of Object.entries(model.gates)) {
      const descending = direction(spec);
      if (descending === undefined) continue;
      const qualified = `${model.metricsFile}:${metric}`;
      return { metric: table.metricKeys.includes(qualified) ? qualified : metric, descending };
    }
  }
  return undefined;
}

const passesEveryGate = (row: ExperimentRow) => Object.values(row.gates).every((g) => g === "pass");

/** Successful runs first, then those passing every gate, then by the key; ties by name. */
export function rankRows(rows: readonly ExperimentRow[], key: RankKey | undefined): ExperimentRow[] {
  const value = (row: ExperimentRow) => {
    const v = key ? row.metrics[key.metric] : undefined;
    return v === undefined || v === null ? undefined : asNumber(v);
  };
  return [...rows].sort((a, b) => {
    const byStatus = Number(b.status === "success") - Number(a.status === "success");
    if (byStatus) return byStatus;
    const byGates = Number(passesEveryGate(b)) - Number(passesEveryGate(a));
    if (byGates) return byGates;
    const [av, bv] = [value(a), value(b)];
    if (av !== undefined && bv !== undefined && av !== bv) return key?.descending ? bv - av : av - bv;
    if ((av === undefined) !== (bv === undefined)) return av === undefined ? 1 : -1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

export interface ExperimentsComment {
  base: string;
  table: ExperimentTable;
  models: readonly ModelGates[];
  /** Dispatched variants with no result yet. */
  pending: readonly string[];
}

export function renderExperimentsComment(input: ExperimentsComment): string {
  const key = rankKeyOf(input.table, input.models);
  const ranked = { ...input.table, rows: rankRows(input.table.rows, key) };
  const columns = tableColumns(ranked);
  const blank = columns.header.map(() => "");
  const rows = [
    ...columns.rows.map((cells, i) => [String(i + 1), ...cells]),
    ...input.pending.map((name) => ["", name, ...blank.slice(2), "pending"]),
  ];
  const done = ranked.rows.length;
  const total = done + input.pending.length;
  const order = key
    ? `Ranked by ${codeSpan(key.metric)} (${key.descending ? "higher" : "lower"} is better, as its gate says); variants that pass every gate come first.`
    : "No metric is gated, so the variants are listed by name.";
  return [
    "### Trainyard experiments",
    "",
    `Variants of ${codeSpan(input.base.slice(0, 12))} (this pull request's head when they were requested). ${order} ${done} of ${total} finished${input.pending.length ? `, ${input.pending.length} still running` : ""}.`,
    "",
    renderMarkdown({ header: ["rank", ...columns.header], rows }).trimEnd(),
    "",
    "To keep one, a writer comments `/trainyard exp apply <name>`: its params and lock are committed to this branch and nothing is retrained.",
  ].join("\n");
}
