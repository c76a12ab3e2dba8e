/**
 * Pull one column out of a CSV table as numbers or as categories. A column is numeric when every
 * present cell parses as a finite number; empty cells and the usual missing markers
 * (NA, NaN, null, None, case-insensitive) count as missing, not as a category.
 */
import type { CsvTable } from "./parse-csv-table.js";

const MISSING = new Set(["", "na", "n/a", "nan", "null", "none"]);

export type ColumnValues =
  | { kind: "numeric"; values: number[]; missing: number }
  | { kind: "categorical"; values: string[]; missing: number };

export function isMissingCell(cell: string): boolean {
  return MISSING.has(cell.trim().toLowerCase());
}

export function columnCells(table: CsvTable, column: string): string[] | undefined {
  const index = table.columns.indexOf(column);
  if (index < 0) return undefined;
  return table.rows.map((row) => row[index]!);
}

/** Numeric if every present cell is a finite number (and at least one is present). One pass. */
export function readColumn(cells: readonly string[], asCategorical = false): ColumnValues {
  const numbers: number[] = [];
  let numeric = !asCategorical;
  let missing = 0;
  for (const cell of cells) {
    if (numeric) {
      // Number() ignores surrounding whitespace but reads "" and "  " as 0, hence the length check.
      const value = Number(cell);
      if (Number.isFinite(value) && cell.trim() !== "") {
        numbers.push(value);
        continue;
      }
    }
    if (isMissingCell(cell)) missing++;
    else numeric = false;
  }
  if (numeric && numbers.length > 0) return { kind: "numeric", values: numbers, missing };
  const present = cells.map((c) => c.trim()).filter((c) => !isMissingCell(c));
  return { kind: "categorical", values: present, missing: cells.length - present.length };
}

/** Columns whose present cells are all numbers: the default feature set. */
export function numericColumns(table: CsvTable): string[] {
  return table.columns.filter((name) => readColumn(columnCells(table, name)!).kind === "numeric");
}
