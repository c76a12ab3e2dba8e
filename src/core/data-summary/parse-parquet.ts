/**
 * Parquet tables to a TableSummary, read by hyparquet (pure JavaScript, no native code; Snappy
 * and uncompressed pages built in). Values are mapped onto what the summary understands: 64-bit
 * integers to numbers, dates to ISO text, byte arrays to their length. Pure (bytes in, summary out).
 */
import { parquetReadObjects } from "hyparquet";
import { TrainyardError } from "../errors.js";
import { type Cell, type TableSummary, TableSummarizer } from "./summarize-table.js";

function cellOf(value: unknown): Cell {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (Array.isArray(value)) return value.map(cellOf);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cellOf(v)]));
  }
  return value;
}

export async function summarizeParquet(bytes: Uint8Array, file: string): Promise<TableSummary> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    throw new TrainyardError("data", `cannot read this Parquet file: ${message}`, { file });
  }
  const summarizer = new TableSummarizer("parquet");
  for (const row of rows) {
    summarizer.addRow(new Map(Object.entries(row).map(([name, value]) => [name, cellOf(value)])));
  }
  return summarizer.summary();
}
