/**
 * A `bar_horizontal` plot needs a category and a number in every row: checked once when the data
 * is read, so a typo in a column name or a stray "n/a" is an error naming the file and the key
 * (`[3].importance`) instead of a bar chart that silently leaves bars out. Pure.
 */
import { TrainyardError } from "../errors.js";
import type { FlatValue } from "../metrics/flatten.js";
import type { PlotRow } from "./parse-plot-data.js";
import type { PlotDefinition, PlotSource } from "./plot-definitions.js";
import { resolveColumns } from "./plot-series.js";

function isNumber(value: FlatValue | undefined): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value));
}

function shown(value: FlatValue | undefined): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/**
 * Which column holds the values: DVC's convention is the value on x and the category on y; data
 * whose y holds the numbers (and x the names) is read the other way round, as plot-series does.
 */
function valueAndCategory(
  source: PlotSource,
  rows: readonly PlotRow[],
): { values: string[]; category: string } {
  const { x, y } = resolveColumns(source, rows);
  const first = rows[0] ?? {};
  return y.length > 0 && y.every((c) => isNumber(first[c])) && !isNumber(first[x])
    ? { values: y, category: x }
    : { values: [x], category: y[0] ?? x };
}

export function validateBarRows(source: PlotSource, rows: readonly PlotRow[], file: string): void {
  if (rows.length === 0) return;
  const columns = new Set(rows.flatMap((row) => Object.keys(row)));
  const { x, y } = resolveColumns(source, rows);
  for (const [role, column] of [["x", x], ...y.map((c) => ["y", c] as const)] as const) {
    if (!columns.has(column)) {
      const have = [...columns].join(", ") || "none";
      throw new TrainyardError(
        "metrics",
        `bar_horizontal ${role} column "${column}" is not in the data (columns: ${have})`,
        {
          file,
          key: role,
        },
      );
    }
  }
  const { values, category } = valueAndCategory(source, rows);
  rows.forEach((row, index) => {
    for (const value of values) {
      if (!isNumber(row[value])) {
        throw new TrainyardError(
          "metrics",
          `bar_horizontal needs a number in "${value}" on every row, got ${shown(row[value])}`,
          { file, key: `[${index}].${value}` },
        );
      }
    }
    const name = row[category];
    if (name === undefined || name === null || String(name).trim() === "") {
      throw new TrainyardError(
        "metrics",
        `bar_horizontal needs a category name in "${category}" on every row`,
        {
          file,
          key: `[${index}].${category}`,
        },
      );
    }
  });
}

/** Every bar_horizontal plot reading `path`: its rows validated (the first problem thrown). */
export function validateBarPlotsOf(
  definitions: readonly PlotDefinition[],
  path: string,
  rows: readonly PlotRow[],
  file: string,
): void {
  for (const definition of definitions) {
    if (definition.template !== "bar_horizontal") continue;
    for (const source of definition.sources) {
      if (source.path === path) validateBarRows(source, rows, file);
    }
  }
}
