/**
 * The report's data section: which data paths changed hash, and for tabular data what changed in
 * it (rows, columns added, removed or retyped, each column's count, nulls, mean/min/max or top
 * values, base → head). Column names and values are other people's text: every one is escaped for
 * its place (a table cell, or the HTML `<summary>`). Pure.
 */
import type { ColumnChange, TableChange } from "../data-summary/diff-table-summary.js";
import type { ColumnSummary } from "../data-summary/summarize-table.js";
import { formatValue } from "../metrics/format-value.js";
import { codeSpan, htmlText } from "../trust/index.js";
import { budgetTable, cell, MIN_ROW, tableHeader, tableRow } from "./markdown.js";

export interface DataChange {
  path: string;
  old?: string;
  new?: string;
  /** What changed inside a tabular file, when both sides (or the one there) could be read. */
  table?: TableChange;
  /** Why a tabular file has no `table` (e.g. its object is not in the local store). */
  tableNote?: string;
}

function shortHash(hash: string | undefined): string {
  if (!hash) return "—";
  const bare = hash.replace(/^sha256:/, "");
  return codeSpan(bare.slice(0, 12), { inTable: true });
}

export function renderDataSection(data: readonly DataChange[], budget: number): string {
  if (data.length === 0) return "";
  const rows = data
    .slice(0, Math.ceil(budget / MIN_ROW))
    .map((d) => tableRow([codeSpan(d.path, { inTable: true }), shortHash(d.old), shortHash(d.new)]));
  const header = `#### Data versions changed\n${tableHeader(["Path", "Base", "Head"])}`;
  const { text } = budgetTable(
    header,
    rows,
    budget,
    (n) => `_Table truncated: ${n} more data paths not shown._`,
    data.length,
  );
  let out = text.trimEnd();
  for (const change of data) {
    const details = tableDetails(change, budget - out.length - 2);
    if (!details) continue;
    out += `\n\n${details}`;
  }
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function rowsLine(table: TableChange): string {
  const { base, head } = table.rows;
  if (base === undefined) return `${plural(head ?? 0, "row")} (new)`;
  if (head === undefined) return `${plural(base, "row")} (removed)`;
  const delta = head - base;
  return base === head
    ? `${plural(head, "row")}`
    : `${base} → ${plural(head, "row")} (${delta > 0 ? "+" : ""}${delta})`;
}

/** One line for `<summary>`: the path, the row change and the column changes. */
export function tableHeadline(path: string, table: TableChange): string {
  const parts = [rowsLine(table)];
  if (table.added.length) parts.push(`${plural(table.added.length, "column")} added`);
  if (table.removed.length) parts.push(`${plural(table.removed.length, "column")} removed`);
  if (table.retyped.length) parts.push(`${plural(table.retyped.length, "column")} retyped`);
  return `${path}: ${parts.join(", ")}`;
}

function tableDetails(change: DataChange, budget: number): string {
  if (budget < 200) return "";
  if (!change.table) {
    return change.tableNote ? `${codeSpan(change.path)}: ${htmlText(change.tableNote, 200)}` : "";
  }
  const table = change.table;
  const shown = table.columns.filter((c) => c.status !== "unchanged");
  const open = `<details><summary>${htmlText(tableHeadline(change.path, table), 300)}</summary>\n\n`;
  const note = change.tableNote ? `\n${htmlText(change.tableNote, 200)}\n` : "";
  const close = `${note}\n</details>`;
  if (shown.length === 0) return `${open}No column's summary changed.\n${close}`;
  const rows = shown.map(columnRow);
  const header = tableHeader([
    "Column",
    "Change",
    "Type",
    "Count",
    "Nulls",
    "Mean",
    "Min",
    "Max",
    "Top values",
  ]);
  const { text } = budgetTable(
    header,
    rows,
    budget - open.length - close.length,
    (n) => `_${n} more columns not shown (\`trainyard data describe\`)._`,
  );
  return text ? `${open}${text}${close}` : "";
}

const same = (a: string, b: string) => (a === b ? a : `${a || "—"} → ${b || "—"}`);

function side(c: ColumnSummary | undefined, pick: (c: ColumnSummary) => string): string {
  return c ? pick(c) : "—";
}

function both(change: ColumnChange, pick: (c: ColumnSummary) => string): string {
  return cell(same(side(change.base, pick), side(change.head, pick)), 80);
}

const number = (value: number | undefined) => (value === undefined ? "" : formatValue(value));

export function topValues(c: ColumnSummary): string {
  return (c.top ?? []).map((t) => `${t.value} (${t.count})`).join(", ");
}

function columnRow(change: ColumnChange): string {
  return tableRow([
    cell(change.name, 60),
    change.status,
    both(change, (c) => c.type),
    both(change, (c) => String(c.count)),
    both(change, (c) => String(c.nulls)),
    both(change, (c) => number(c.mean)),
    both(change, (c) => number(c.min)),
    both(change, (c) => number(c.max)),
    cell(same(side(change.base, topValues), side(change.head, topValues)), 100),
  ]);
}
