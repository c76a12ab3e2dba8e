/**
 * `exp show` output: the same columns as plain text rows, CSV (RFC 4180) or a Markdown table whose
 * every cell goes through the one escaping function for user text. Pure.
 */
import type { FlatValue } from "../metrics/flatten.js";
import { formatValue } from "../metrics/format-value.js";
import { cell, tableHeader, tableRow } from "../report/markdown.js";
import type { ExperimentRow, ExperimentTable } from "./build-table.js";

export interface TableColumns {
  header: string[];
  rows: string[][];
}

function duration(ms: number | null): string {
  return ms === null ? "" : `${(ms / 1000).toFixed(1)} s`;
}

function text(value: FlatValue | undefined): string {
  return value === null || value === undefined ? "" : formatValue(value);
}

/** Header and cells as plain strings, shared by every format. `metricKeys` narrows the metrics shown. */
export function tableColumns(
  table: ExperimentTable,
  metricKeys: readonly string[] = table.metricKeys,
): TableColumns {
  const header = [
    "name",
    ...table.paramKeys,
    ...metricKeys,
    ...table.models.map((m) => `${m} gates`),
    "duration",
    "status",
  ];
  const rows = table.rows.map((r: ExperimentRow) => [
    r.name,
    ...table.paramKeys.map((k) => text(r.params[k])),
    ...metricKeys.map((k) => text(r.metrics[k])),
    ...table.models.map((m) => r.gates[m] ?? ""),
    duration(r.durationMs),
    r.status,
  ]);
  return { header, rows };
}

function csvField(value: string): string {
  // A leading = + - @ makes spreadsheets evaluate the cell; a quote keeps it text.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderCsv(columns: TableColumns): string {
  return [columns.header, ...columns.rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

export function renderMarkdown(columns: TableColumns): string {
  return (
    tableHeader(columns.header.map((h) => cell(h))) +
    columns.rows.map((row) => tableRow(row.map((c) => cell(c)))).join("")
  );
}
