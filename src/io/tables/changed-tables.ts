/**
 * The summaries the PR report's data section needs: for every tabular data path whose hash
 * differs between two revisions' locks, its summary at each side (cached per object).
 */
import type { FileTexts, TableSides } from "../../core/pr-report/build-model-report.js";
import { changedTableSides } from "../../core/pr-report/table-sides.js";
import type { Repo } from "../git/index.js";
import { describeTableAt } from "./describe-table.js";

/** Files that differ only in hash are described at both revisions; paths that are not tables are skipped. */
export async function describeChangedTables(
  repo: Repo,
  base: { rev: string; files: FileTexts },
  head: { rev: string; files: FileTexts },
): Promise<Record<string, TableSides>> {
  return changedTableSides(base.files, head.files, (side, path, hash) =>
    describeTableAt(repo, side === "base" ? base.rev : head.rev, path, hash),
  );
}
