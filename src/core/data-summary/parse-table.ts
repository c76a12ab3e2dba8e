/**
 * Tabular data (CSV, TSV, JSON Lines) to a TableSummary. CSV and TSV go through csv-parse
 * (quoted fields, embedded separators and line breaks, a BOM); the first record names the columns.
 * Bad input fails with file:line:column. Pure.
 */
import { CsvError, parse } from "csv-parse/sync";
import { TrainyardError } from "../errors.js";
import { summarizeParquet } from "./parse-parquet.js";
import { type Cell, type TableFormat, type TableSummary, TableSummarizer } from "./summarize-table.js";

/** The format a path's extension names, or undefined when it is not tabular data we read. */
export function tableFormatOf(path: string): TableFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".tsv") || lower.endsWith(".tab")) return "tsv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  if (lower.endsWith(".parquet")) return "parquet";
  return undefined;
}

export function summarizeTableText(
  text: string,
  format: Exclude<TableFormat, "parquet">,
  file: string,
): TableSummary {
  return format === "jsonl" ? summarizeJsonLines(text, file) : summarizeDelimited(text, format, file);
}

/** Any supported table from its bytes (Parquet is binary; the others are UTF-8 text). */
export function summarizeTableBytes(
  bytes: Uint8Array,
  format: TableFormat,
  file: string,
): Promise<TableSummary> {
  if (format === "parquet") return summarizeParquet(bytes, file);
  return Promise.resolve(summarizeTableText(new TextDecoder().decode(bytes), format, file));
}

/** Column names as written, made unique (`a`, `a (2)`) and never empty (`column 3`). */
function headerNames(header: readonly string[]): string[] {
  const used = new Set<string>();
  return header.map((raw, i) => {
    const base = raw.trim() === "" ? `column ${i + 1}` : raw;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
    used.add(name);
    return name;
  });
}

function summarizeDelimited(text: string, format: "csv" | "tsv", file: string): TableSummary {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: format === "tsv" ? "\t" : ",",
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // TSV has no quoting convention: a `"` is an ordinary character there.
      ...(format === "tsv" ? { quote: false } : {}),
    }) as string[][];
  } catch (thrown) {
    if (thrown instanceof CsvError) {
      const where = thrown as CsvError & { lines?: number; column?: number };
      throw new TrainyardError("data", thrown.message.replace(/^Invalid [^:]*: /, ""), {
        file,
        ...(where.lines !== undefined ? { line: where.lines } : {}),
      });
    }
    throw thrown;
  }
  const summarizer = new TableSummarizer(format);
  const [header, ...rows] = records;
  if (!header) return summarizer.summary();
  const names = headerNames(header);
  summarizer.declareColumns(names);
  for (const row of rows) {
    const cells = new Map<string, Cell>();
    names.forEach((name, i) => {
      cells.set(name, row[i]);
    });
    // Cells past the header have no name: they are counted under positional names.
    for (let i = names.length; i < row.length; i++) cells.set(`column ${i + 1}`, row[i]);
    summarizer.addRow(cells);
  }
  return summarizer.summary();
}

function summarizeJsonLines(text: string, file: string): TableSummary {
  const summarizer = new TableSummarizer("jsonl");
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (thrown) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      const column = /position (\d+)/.exec(message)?.[1];
      throw new TrainyardError("data", `not valid JSON: ${message}`, {
        file,
        line: index + 1,
        ...(column !== undefined ? { column: Number(column) + 1 } : {}),
      });
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new TrainyardError("data", "each line of a JSON Lines table must be an object ({...})", {
        file,
        line: index + 1,
        column: 1,
      });
    }
    summarizer.addRow(new Map(Object.entries(value)));
  });
  return summarizer.summary();
}
