/**
 * The summaries the PR report's data section needs: for every tabular data path whose hash
 * differs between two revisions' locks, its summary at each side (cached per object).
 */
import { tableFormatOf } from "../../core/data-summary/parse-table.js";
import {
  changedDataPaths,
  type FileTexts,
  type TableSides,
} from "../../core/pr-report/build-model-report.js";
import type { Repo } from "../git/index.js";
import { describeTableAt } from "./describe-table.js";

/** Files that differ only in hash are described at both revisions; paths that are not tables are skipped. */
export async function describeChangedTables(
  repo: Repo,
  base: { rev: string; files: FileTexts },
  head: { rev: string; files: FileTexts },
): Promise<Record<string, TableSides>> {
  const tables: Record<string, TableSides> = {};
  for (const change of changedDataPaths(base.files, head.files)) {
    if (!tableFormatOf(change.path)) continue;
    const [before, after] = await Promise.all([
      change.old ? describeTableAt(repo, base.rev, change.path, change.old) : undefined,
      change.new ? describeTableAt(repo, head.rev, change.path, change.new) : undefined,
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
