/** Small Markdown building blocks for reports: escaped table cells and a row-budgeted table. Pure. */
import { tableCell } from "../trust/index.js";

/** No table row is shorter than this, so a budget of B characters holds at most B / MIN_ROW rows. */
export const MIN_ROW = 10;

/** A value as table-cell text (see core/trust/untrusted-text.ts); long values are cut. */
export function cell(text: string, max = 120): string {
  return tableCell(text, max);
}

export function tableHeader(columns: readonly string[], align?: readonly ("l" | "r")[]): string {
  const rule = columns.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  return `| ${columns.join(" | ")} |\n| ${rule.join(" | ")} |\n`;
}

export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |\n`;
}

/**
 * A table that fits `budget` characters: rows are taken in order until the next one (plus the
 * note saying how many were left out) would not fit. Returns the text and how many rows it holds.
 */
export function budgetTable(
  header: string,
  rows: readonly string[],
  budget: number,
  omittedNote: (omitted: number) => string,
  /** Total rows when `rows` holds only the first ones (callers pre-cut huge lists). */
  total = rows.length,
): { text: string; shown: number } {
  let text = header;
  let shown = 0;
  for (const row of rows) {
    const rest = total - shown - 1;
    const note = rest > 0 ? omittedNote(rest).length + 2 : 0;
    if (text.length + row.length + note > budget) break;
    text += row;
    shown++;
  }
  if (shown === 0 && total > 0 && header.length + omittedNote(total).length + 2 > budget) {
    return { text: "", shown: 0 };
  }
  if (shown < total) text += `\n${omittedNote(total - shown)}\n`;
  return { text, shown };
}
