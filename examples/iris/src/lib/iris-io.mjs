/**
 * Small shared helpers for the iris stages: the column layout, CSV in/out, params, JSON out.
 * Paths are relative to the working directory, which the pipeline runner sets to the repo root.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parse } from "yaml";

export const FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
export const LABEL = "species";
export const CLASSES = ["setosa", "versicolor", "virginica"];

/** One section of params.yaml, e.g. `readParams("train")`. */
export function readParams(section, file = "params.yaml") {
  const all = parse(readFileSync(file, "utf8"));
  const value = all?.[section];
  if (value === undefined || value === null || typeof value !== "object") {
    throw new Error(`${file}: missing section "${section}"`);
  }
  return value;
}

/** Rows are `{ features: number[], label: string }`. */
export function writeRowsCsv(file, rows) {
  const lines = [[...FEATURES, LABEL].join(",")];
  for (const row of rows) lines.push([...row.features.map(formatNumber), row.label].join(","));
  writeText(file, `${lines.join("\n")}\n`);
}

export function readRowsCsv(file) {
  const [header, ...lines] = readFileSync(file, "utf8").trim().split("\n");
  const expected = [...FEATURES, LABEL].join(",");
  if (header !== expected) throw new Error(`${file}: expected header "${expected}", got "${header}"`);
  return lines.map((line, i) => {
    const cells = line.split(",");
    const features = cells.slice(0, FEATURES.length).map(Number);
    if (cells.length !== FEATURES.length + 1 || features.some((v) => !Number.isFinite(v))) {
      throw new Error(`${file}:${i + 2}: expected ${FEATURES.length} numbers and a species`);
    }
    return { features, label: cells[FEATURES.length] };
  });
}

/**
 * JSON with a trailing newline, byte-identical per seed. Metrics are indented so they diff
 * cleanly in pull requests; `compact` suits large outs nobody reads (the model).
 */
export function writeJson(file, value, { compact = false } = {}) {
  writeText(file, `${JSON.stringify(value, null, compact ? undefined : 2)}\n`);
}

export function writeText(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Measurements in the data set have one decimal; keep that so CSVs stay short and exact. */
export function formatNumber(value) {
  return String(Math.round(value * 10) / 10);
}
