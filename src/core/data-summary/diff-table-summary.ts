/**
 * What changed between two summaries of one table: rows, columns added, removed and retyped, and
 * each column's numbers side by side. Pure.
 */
import type { ColumnSummary, ColumnType, TableSummary } from "./summarize-table.js";

export interface ColumnChange {
  name: string;
  status: "added" | "removed" | "retyped" | "changed" | "unchanged";
  base?: ColumnSummary;
  head?: ColumnSummary;
}

export interface TableChange {
  rows: { base?: number; head?: number };
  added: string[];
  removed: string[];
  retyped: { name: string; from: ColumnType; to: ColumnType }[];
  columns: ColumnChange[];
}

function sameColumn(a: ColumnSummary, b: ColumnSummary): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffTableSummaries(
  base: TableSummary | undefined,
  head: TableSummary | undefined,
): TableChange {
  const before = new Map((base?.columns ?? []).map((c) => [c.name, c]));
  const after = new Map((head?.columns ?? []).map((c) => [c.name, c]));
  // Head order first (what the table is now), then the columns it lost.
  const names = [...after.keys(), ...[...before.keys()].filter((n) => !after.has(n))];
  const columns = names.map((name): ColumnChange => {
    const b = before.get(name);
    const h = after.get(name);
    const status =
      b && !h
        ? "removed"
        : h && !b
          ? "added"
          : b && h && b.type !== h.type && b.type !== "empty" && h.type !== "empty"
            ? "retyped"
            : b && h && !sameColumn(b, h)
              ? "changed"
              : "unchanged";
    return { name, status, ...(b ? { base: b } : {}), ...(h ? { head: h } : {}) };
  });
  return {
    rows: {
      ...(base ? { base: base.rows } : {}),
      ...(head ? { head: head.rows } : {}),
    },
    added: base ? columns.filter((c) => c.status === "added").map((c) => c.name) : [],
    removed: columns.filter((c) => c.status === "removed").map((c) => c.name),
    retyped: columns
      .filter((c) => c.status === "retyped")
      .map((c) => ({ name: c.name, from: c.base?.type ?? "empty", to: c.head?.type ?? "empty" })),
    columns,
  };
}
