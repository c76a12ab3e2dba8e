/**
 * Parse a metrics or params file (JSON, YAML, CSV, TSV) into flat dotted keys. Errors name the
 * file and, where the format has one, the line and column. Pure: text in, data out.
 */
import { TrainyardError, toError } from "../errors.js";
import { parseYamlWithPositions } from "../yaml-document.js";
import { type FlatRecord, type FlatValue, flattenRecord } from "./flatten.js";
import { scanJson } from "./locate-json-error.js";

export type MetricsFormat = "json" | "yaml" | "csv" | "tsv";

export function detectMetricsFormat(file: string): MetricsFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".tsv")) return "tsv";
  // YAML is a superset of most of what people write in other extensionless metric files.
  return "yaml";
}

/** Parse `text` as the metrics/params file named `file` (the name picks the format and labels errors). */
export function parseMetricsText(text: string, file: string, format = detectMetricsFormat(file)): FlatRecord {
  switch (format) {
    case "json":
      return flattenDocument(parseJson(text, file), file);
    case "yaml":
      return flattenDocument(parseYaml(text, file), file);
    case "csv":
      return parseDelimitedLastRow(text, file, ",");
    case "tsv":
      return parseDelimitedLastRow(text, file, "\t");
  }
}

/** A metrics file is a mapping (or list) of values; a bare scalar is almost surely the wrong file. */
function flattenDocument(value: unknown, file: string): FlatRecord {
  if (value === null || value === undefined) return {};
  if (typeof value !== "object") {
    throw new TrainyardError(
      "metrics",
      `expected a mapping of metric names to values, found a single ${typeof value}`,
      { file, line: 1, column: 1 },
    );
  }
  return flattenRecord(value);
}

export function parseYaml(text: string, file: string): unknown {
  try {
    return parseYamlWithPositions(text, file, "metrics").value;
  } catch (thrown) {
    if (thrown instanceof TrainyardError) throw thrown;
    // The yaml library throws plain errors for a few documents that parse but cannot convert
    // (an alias to a missing anchor); those are the user's to fix, so name the file.
    throw new TrainyardError("metrics", `invalid YAML: ${toError(thrown).message}`, { file });
  }
}

const SPECIAL_VALUES: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Infinity,
  "-Infinity": -Infinity,
};

export function parseJson(text: string, file: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    const { error, specials } = scanJson(text);
    if (error) {
      throw new TrainyardError("metrics", `invalid JSON: ${error.message}`, {
        file,
        line: error.line,
        column: error.column,
      });
    }
    return parseWithSpecials(text, specials);
  }
}

/** Replace bare NaN/Infinity with marker strings, parse, then turn the markers back into numbers. */
function parseWithSpecials(text: string, specials: readonly { offset: number; token: string }[]): unknown {
  const marker = "\u0000trainyard:";
  let rebuilt = "";
  let last = 0;
  for (const { offset, token } of specials) {
    rebuilt += `${text.slice(last, offset)}"${JSON.stringify(marker + token).slice(1, -1)}"`;
    last = offset + token.length;
  }
  rebuilt += text.slice(last);
  return JSON.parse(rebuilt, (_key, value: unknown) =>
    typeof value === "string" && value.startsWith(marker)
      ? SPECIAL_VALUES[value.slice(marker.length)]
      : value,
  );
}

/**
 * CSV/TSV metric logs append one row per step or epoch; the last row is the current value.
 * Quoted fields with the delimiter or doubled quotes inside are supported.
 */
function parseDelimitedLastRow(text: string, file: string, delimiter: string): FlatRecord {
  const lines = text.split(/\r?\n/);
  const nonEmpty = lines.map((line, index) => ({ line, index })).filter((l) => l.line.trim() !== "");
  const header = nonEmpty[0];
  if (!header) return {};
  const names = splitRow(header.line, delimiter, file, header.index + 1);
  const last = nonEmpty[nonEmpty.length - 1];
  if (!last || last === header) return {};
  const cells = splitRow(last.line, delimiter, file, last.index + 1);
  if (cells.length !== names.length) {
    throw new TrainyardError(
      "metrics",
      `row has ${cells.length} fields but the header has ${names.length}; expected one value per column`,
      { file, line: last.index + 1, column: 1 },
    );
  }
  const out: FlatRecord = {};
  names.forEach((name, i) => {
    out[name.trim()] = cellValue(cells[i] as string);
  });
  return out;
}

/** Every row of a CSV/TSV file as a record by header name (plot data files are whole tables). */
export function parseDelimitedRows(text: string, file: string, delimiter: string): FlatRecord[] {
  const nonEmpty = text
    .split(/\r?\n/)
    .map((line, index) => ({ line, index }))
    .filter((l) => l.line.trim() !== "");
  const header = nonEmpty.shift();
  if (!header) return [];
  const names = splitRow(header.line, delimiter, file, header.index + 1).map((n) => n.trim());
  return nonEmpty.map(({ line, index }) => {
    const cells = splitRow(line, delimiter, file, index + 1);
    if (cells.length !== names.length) {
      throw new TrainyardError(
        "metrics",
        `row has ${cells.length} fields but the header has ${names.length}; expected one value per column`,
        { file, line: index + 1, column: 1 },
      );
    }
    return Object.fromEntries(names.map((name, i) => [name, cellValue(cells[i] as string)]));
  });
}

function cellValue(cell: string): FlatValue {
  const trimmed = cell.trim();
  if (trimmed === "") return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return Number(trimmed);
  const special = SPECIAL_VALUES[trimmed] ?? { nan: Number.NaN, inf: Infinity, "-inf": -Infinity }[trimmed];
  if (special !== undefined) return special;
  if (trimmed === "true" || trimmed === "false") return trimmed === "true";
  return trimmed;
}

function splitRow(line: string, delimiter: string, file: string, lineNumber: number): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  if (quoted) {
    throw new TrainyardError("metrics", "unterminated quoted field; expected a closing '\"'", {
      file,
      line: lineNumber,
      column: line.lastIndexOf('"') + 1,
    });
  }
  cells.push(cell);
  return cells;
}
