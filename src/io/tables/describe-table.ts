/**
 * Summaries of tabular data at a revision, computed once per object: the summary of a file's
 * content is cached under `<state>/cache/data-summary/` keyed by the content's sha256 (the same id
 * the lock and the store use), so describing a 100 MB CSV at base and head twice costs one read.
 * The bytes come from the revision's git tree, else from the local store by the lock's hash.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { summarizeTableBytes, tableFormatOf } from "../../core/data-summary/parse-table.js";
import type { TableFormat, TableSummary } from "../../core/data-summary/summarize-table.js";
import { errnoCode, TrainyardError } from "../../core/errors.js";
import { isOid, type Oid } from "../../core/oid.js";
import { parsePointer, pointerPathFor } from "../../core/pointer.js";
import { type Repo, readBytesAt, readFileAt } from "../git/index.js";
import { LocalStore } from "../store/index.js";

/** Bigger files are not summarized (they would be parsed in memory). */
export const MAX_DESCRIBE_BYTES = 64 * 1024 * 1024;
/** Bumped when the summary's shape or meaning changes, so old cache entries are not read. */
const SUMMARY_VERSION = 1;

export type DescribeResult = { summary: TableSummary; oid: Oid } | { note: string };

function cachePath(repo: Repo, oid: Oid, format: TableFormat): string {
  return join(
    repo.cacheDir,
    "data-summary",
    `v${SUMMARY_VERSION}-${format}-${oid.slice("sha256:".length)}.json`,
  );
}

function looksLikeSummary(value: unknown, format: TableFormat): value is TableSummary {
  if (value === null || typeof value !== "object") return false;
  const v = value as Partial<TableSummary>;
  return v.format === format && typeof v.rows === "number" && Array.isArray(v.columns);
}

async function cached(repo: Repo, oid: Oid, format: TableFormat): Promise<TableSummary | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(cachePath(repo, oid, format), "utf8"));
    return looksLikeSummary(value, format) ? value : undefined;
  } catch {
    // Absent or unreadable: the cache is rebuildable, so recompute.
    return undefined;
  }
}

async function remember(repo: Repo, oid: Oid, format: TableFormat, summary: TableSummary): Promise<void> {
  const file = cachePath(repo, oid, format);
  await mkdir(join(repo.cacheDir, "data-summary"), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, JSON.stringify(summary));
  await rename(temp, file);
}

/** Summarize `bytes` (named `label` in errors), through the cache. */
export async function describeBytes(
  repo: Repo,
  bytes: Buffer,
  format: TableFormat,
  label: string,
): Promise<{ summary: TableSummary; oid: Oid }> {
  const oid: Oid = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  const hit = await cached(repo, oid, format);
  if (hit) return { summary: hit, oid };
  if (bytes.length > MAX_DESCRIBE_BYTES) {
    throw new TrainyardError(
      "data",
      `${label} is ${Math.round(bytes.length / 1048576)} MiB; data describe reads at most ${MAX_DESCRIBE_BYTES / 1048576} MiB`,
    );
  }
  const summary = await summarizeTableBytes(bytes, format, label);
  await remember(repo, oid, format, summary);
  return { summary, oid };
}

/**
 * The summary of `path` at `rev` (a commit or WORKTREE): from git, else from the local store by
 * `hash` (the lock's record of it). A note instead when it cannot be read or is not tabular.
 */
export async function describeTableAt(
  repo: Repo,
  rev: string,
  path: string,
  lockHash?: string,
): Promise<DescribeResult> {
  let hash = lockHash;
  const format = tableFormatOf(path);
  if (!format) return { note: "not a table Trainyard reads (CSV, TSV, JSON Lines, Parquet)" };
  const label = rev === "workspace" ? path : `${path}@${rev.slice(0, 7)}`;
  try {
    // What git holds wins over what the lock says it holds; the lock's hash is only the way into
    // the store for data that is not in git.
    const committed = await readBytesAt(repo.root, rev, path).catch((thrown: unknown) => {
      if (errnoCode(thrown) === "EISDIR") return undefined;
      throw thrown;
    });
    if (committed) return await describeBytes(repo, committed, format, label);
    // Data added with `trainyard add` is in git only as its pointer: its hash is the way in.
    hash ??= await pointerHashAt(repo.root, rev, path);
    if (!hash || !isOid(hash)) return { note: "not found at this revision" };
    const hit = await cached(repo, hash, format);
    if (hit) return { summary: hit, oid: hash };
    const store = new LocalStore(repo.storeDir);
    if (!store.has(hash))
      return { note: "its content is neither in git nor in the local store (trainyard pull)" };
    return await describeBytes(repo, await store.readVerified(hash), format, label);
  } catch (thrown) {
    if (thrown instanceof TrainyardError) return { note: thrown.message };
    throw thrown;
  }
}

async function pointerHashAt(root: string, rev: string, path: string): Promise<string | undefined> {
  const text = await readFileAt(root, rev, pointerPathFor(path));
  if (text === undefined) return undefined;
  const pointer = parsePointer(text, `${pointerPathFor(path)}@${rev.slice(0, 7)}`);
  return pointer.files === undefined ? pointer.hash : undefined;
}
