/**
 * Plot data files as rows, the shapes DVC accepts: JSON/YAML holding a list of records or a
 * mapping whose first list of records is the data (`{"roc": [{"fpr": 0, "tpr": 0}, …]}`), and
 * CSV/TSV tables with a header. Errors name the file (and line/column where the format has one).
 * Pure: text in, rows out.
 */
import { TrainyardError } from "../errors.js";
import type { FlatValue } from "../metrics/flatten.js";
import {
  detectMetricsFormat,
  parseDelimitedRows,
  parseJson,
  parseYaml,
} from "../metrics/parse-metrics-file.js";

export type PlotRow = Readonly<Record<string, FlatValue>>;

/** `file` picks the format; `label` (default: the file) names it in errors, e.g. `roc.csv@1a2b3c4`. */
export function parsePlotRows(text: string, file: string, label = file): PlotRow[] {
  return parseAs(text, detectMetricsFormat(file), label);
}

function parseAs(text: string, format: ReturnType<typeof detectMetricsFormat>, file: string): PlotRow[] {
  switch (format) {
    case "csv":
      return parseDelimitedRows(text, file, ",");
    case "tsv":
      return parseDelimitedRows(text, file, "\t");
    case "json":
      return rowsOf(parseJson(text, file), file);
    case "yaml":
      return rowsOf(parseYaml(text, file), file);
  }
}

function rowsOf(value: unknown, file: string): PlotRow[] {
  const list = Array.isArray(value) ? value : firstList(value);
  if (!list) {
    throw new TrainyardError(
      "metrics",
      'expected plot data: a list of records, or a mapping holding one (e.g. {"roc": [{"fpr": 0, "tpr": 0}]})',
      { file, line: 1, column: 1 },
    );
  }
  return list.map((item, index) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new TrainyardError("metrics", `plot data item ${index + 1} is not a record of column values`, {
        file,
      });
    }
    return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, scalar(v)]));
  });
}

function firstList(value: unknown): unknown[] | undefined {
  if (value === null || typeof value !== "object") return undefined;
  for (const item of Object.values(value)) if (Array.isArray(item)) return item;
  return undefined;
}

function scalar(value: unknown): FlatValue {
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? null;
}
