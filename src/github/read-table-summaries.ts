/**
 * The data section of the bot's comment: summaries of the tabular data a pull request changes,
 * read through the API at base and head. Only data committed to git is reachable this way (data
 * in the store is summarized by `trainyard metrics diff --md` and the run action's report, which
 * see the store). Summaries are kept in memory by content id, and only under the sha256 of the
 * bytes actually read, so a lock naming a false hash cannot make the bot show another file's summary.
 */
import { createHash } from "node:crypto";
import { summarizeTableBytes, tableFormatOf } from "../core/data-summary/parse-table.js";
import type { TableSummary } from "../core/data-summary/summarize-table.js";
import { TrainyardError } from "../core/errors.js";
import { inProject } from "../core/projects.js";
import type { FileTexts, TableSides } from "../core/pr-report/build-model-report.js";
import { changedTableSides, type DescribedTable } from "../core/pr-report/table-sides.js";
import type { GitHubClient } from "./client.js";
import { readFileAtRef } from "./read-file-at-ref.js";

/** Larger files are not downloaded by the bot; their row says so. */
export const BOT_MAX_TABLE_BYTES = 16 * 1024 * 1024;
const CACHE_ENTRIES = 200;
const summaries = new Map<string, TableSummary>();

function remember(id: string, summary: TableSummary): void {
  summaries.delete(id);
  summaries.set(id, summary);
  for (const oldest of summaries.keys()) {
    if (summaries.size <= CACHE_ENTRIES) break;
    summaries.delete(oldest);
  }
}

async function summaryAt(
  octokit: GitHubClient,
  repo: { owner: string; repo: string; dir: string },
  sha: string,
  path: string,
  hash: string,
): Promise<DescribedTable> {
  const known = summaries.get(`${path}\u0000${hash}`);
  if (known) return { summary: known };
  const format = tableFormatOf(path);
  if (!format) return { note: "not a table" };
  const bytes = await readFileAtRef(octokit, {
    owner: repo.owner,
    repo: repo.repo,
    path: inProject(repo.dir, path),
    ref: sha,
  });
  if (!bytes)
    return { note: "not in git (data in the store: see the run's job summary or `trainyard data describe`)" };
  if (bytes.length > BOT_MAX_TABLE_BYTES)
    return { note: `${Math.round(bytes.length / 1048576)} MiB: too large to summarize here` };
  try {
    const summary = await summarizeTableBytes(bytes, format, `${path}@${sha.slice(0, 7)}`);
    const actual = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (actual === hash) remember(`${path}\u0000${hash}`, summary);
    return { summary };
  } catch (thrown) {
    if (thrown instanceof TrainyardError) return { note: thrown.message };
    throw thrown;
  }
}

/** `repo.dir`: the project's folder in the repository ("" for the root); paths are the project's. */
export async function readTableSummaries(
  octokit: GitHubClient,
  repo: { owner: string; repo: string; dir: string },
  base: { sha: string; files: FileTexts },
  head: { sha: string; files: FileTexts },
): Promise<Record<string, TableSides>> {
  return changedTableSides(base.files, head.files, (side, path, hash) =>
    summaryAt(octokit, repo, side === "base" ? base.sha : head.sha, path, hash),
  );
}
