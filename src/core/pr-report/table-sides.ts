/**
 * The data section's input: for each tabular data path whose hash changed between two revisions'
 * locks, its summary at each side. Where the bytes come from (git and the store, or the contents
 * API) is the caller's `describe`; pairing the sides and their notes is the same everywhere.
 */
import { tableFormatOf } from "../data-summary/parse-table.js";
import type { TableSummary } from "../data-summary/summarize-table.js";
import { changedDataPaths, type FileTexts, type TableSides } from "./build-model-report.js";

/** One side of a table: its summary, or why it could not be summarized. */
export type DescribedTable = { summary: TableSummary } | { note: string };

export type DescribeTable = (side: "base" | "head", path: string, hash: string) => Promise<DescribedTable>;

export async function changedTableSides(
  base: FileTexts,
  head: FileTexts,
  describe: DescribeTable,
): Promise<Record<string, TableSides>> {
  const tables: Record<string, TableSides> = {};
  for (const change of changedDataPaths(base, head)) {
    if (!tableFormatOf(change.path)) continue;
    const [before, after] = await Promise.all([
      change.old ? describe("base", change.path, change.old) : undefined,
      change.new ? describe("head", change.path, change.new) : undefined,
    ]);
    const notes = [
      before && "note" in before ? `base: ${before.note}` : undefined,
      after && "note" in after ? `head: ${after.note}` : undefined,
    ].filter((n): n is string => n !== undefined);
    tables[change.path] = {
      ...(before && "summary" in before ? { base: before.summary } : {}),
      ...(after && "summary" in after ? { head: after.summary } : {}),
      ...(notes.length ? { note: notes.join("; ") } : {}),
    };
  }
  return tables;
}
