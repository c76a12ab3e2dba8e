/**
 * What a table holds, in a few numbers per column: how many values, how many missing, its type,
 * and the mean/min/max (numbers) or the most frequent values (everything else). Built row by row
 * so memory stays bounded by the number of columns and distinct values kept, not by the rows.
 * Pure.
 */

export type ColumnType = "integer" | "number" | "boolean" | "string" | "json" | "empty";

export interface TopValue {
  value: string;
  count: number;
}

export interface ColumnSummary {
  name: string;
  type: ColumnType;
  /** Values present (not missing). */
  count: number;
  nulls: number;
  mean?: number;
  min?: number;
  max?: number;
  /** The most frequent values, most frequent first (ties by value); for non-numeric columns. */
  top?: readonly TopValue[];
  /** Distinct values seen; `distinctCapped` when counting stopped at DISTINCT_CAP. */
  distinct: number;
  distinctCapped?: boolean;
}

export type TableFormat = "csv" | "tsv" | "jsonl" | "parquet";

export interface TableSummary {
  format: TableFormat;
  rows: number;
  columns: readonly ColumnSummary[];
}

/** Past this many distinct values a column stops counting them (memory stays bounded). */
export const DISTINCT_CAP = 10_000;
const TOP_VALUES = 3;

/** A cell as parsed: text from CSV/TSV, any JSON value from JSONL, undefined when the row lacks it. */
export type Cell = unknown;

const MISSING_TEXT = new Set(["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"]);
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface Accumulator {
  name: string;
  count: number;
  nulls: number;
  kinds: Set<Exclude<ColumnType, "empty">>;
  sum: number;
  min: number;
  max: number;
  counts: Map<string, number>;
  capped: boolean;
}

/** One cell's value as the summary sees it: missing, a number, a boolean, text or other JSON. */
function classify(
  cell: Cell,
): { kind: Exclude<ColumnType, "empty">; number?: number; text: string } | undefined {
  if (cell === undefined || cell === null) return undefined;
  if (typeof cell === "string") {
    const trimmed = cell.trim();
    if (MISSING_TEXT.has(trimmed)) return undefined;
    if (NUMBER_TEXT.test(trimmed)) {
      const number = Number(trimmed);
      return {
        kind: Number.isInteger(number) && !/[.eE]/.test(trimmed) ? "integer" : "number",
        number,
        text: trimmed,
      };
    }
    if (trimmed === "true" || trimmed === "false") return { kind: "boolean", text: trimmed };
    return { kind: "string", text: cell };
  }
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) return undefined;
    return { kind: Number.isInteger(cell) ? "integer" : "number", number: cell, text: String(cell) };
  }
  if (typeof cell === "boolean") return { kind: "boolean", text: String(cell) };
  return { kind: "json", text: JSON.stringify(cell) ?? String(cell) };
}

export class TableSummarizer {
  private readonly columns: Accumulator[] = [];
  private readonly index = new Map<string, number>();
  private rows = 0;

  constructor(private readonly format: TableFormat) {}

  /** A column named for the first time starts with the rows before it counted as missing. */
  private column(name: string): Accumulator {
    const at = this.index.get(name);
    if (at !== undefined) return this.columns[at] as Accumulator;
    const created: Accumulator = {
      name,
      count: 0,
      nulls: this.rows,
      kinds: new Set(),
      sum: 0,
      min: Number.POSITIVE_INFINITY,
      max: Number.NEGATIVE_INFINITY,
      counts: new Map(),
      capped: false,
    };
    this.index.set(name, this.columns.length);
    this.columns.push(created);
    return created;
  }

  declareColumns(names: readonly string[]): void {
    for (const name of names) this.column(name);
  }

  addRow(row: ReadonlyMap<string, Cell>): void {
    for (const name of row.keys()) this.column(name);
    for (const column of this.columns) this.addCell(column, row.get(column.name));
    this.rows++;
  }

  private addCell(column: Accumulator, cell: Cell): void {
    const value = classify(cell);
    if (!value) {
      column.nulls++;
      return;
    }
    column.count++;
    column.kinds.add(value.kind);
    if (value.number !== undefined) {
      column.sum += value.number;
      column.min = Math.min(column.min, value.number);
      column.max = Math.max(column.max, value.number);
    }
    const seen = column.counts.get(value.text);
    if (seen !== undefined) column.counts.set(value.text, seen + 1);
    else if (column.counts.size < DISTINCT_CAP) column.counts.set(value.text, 1);
    else column.capped = true;
  }

  summary(): TableSummary {
    return { format: this.format, rows: this.rows, columns: this.columns.map(finish) };
  }
}

function columnType(kinds: ReadonlySet<Exclude<ColumnType, "empty">>): ColumnType {
  if (kinds.size === 0) return "empty";
  if ([...kinds].every((k) => k === "integer")) return "integer";
  if ([...kinds].every((k) => k === "integer" || k === "number")) return "number";
  if (kinds.size === 1) return [...kinds][0] as ColumnType;
  return kinds.has("json") ? "json" : "string";
}

function finish(column: Accumulator): ColumnSummary {
  const type = columnType(column.kinds);
  const numeric = type === "integer" || type === "number";
  const top = numeric
    ? undefined
    : [...column.counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, TOP_VALUES)
        .map(([value, count]) => ({ value, count }));
  return {
    name: column.name,
    type,
    count: column.count,
    nulls: column.nulls,
    ...(numeric && column.count > 0
      ? { mean: column.sum / column.count, min: column.min, max: column.max }
      : {}),
    ...(top && top.length > 0 ? { top } : {}),
    distinct: column.counts.size,
    ...(column.capped ? { distinctCapped: true } : {}),
  };
}
