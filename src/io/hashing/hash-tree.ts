/**
 * Hash a directory into its manifest: walk it, take unchanged files' hashes from the stat cache,
 * hash the rest on the worker pool (and, when adding, copy them into the store in the same pass).
 *
 * Three speeds: (1) the walk signature equals the recorded one → the recorded id, no per-file work;
 * (2) only a few top-level folders changed → splice their new entries into the recorded manifest
 * text (per-folder byte ranges are kept in the stat cache) and diff just those folders; records
 * only ever point at manifests held by the store;
 * (3) otherwise build the whole manifest.
 */
import { createHash } from "node:crypto";
import { TrainyardError } from "../../core/errors.js";
import {
  diffManifests,
  type ManifestDiff,
  type ManifestEntry,
  parseManifest,
  serializeManifestEntry,
} from "../../core/manifest.js";
import { oidFromHex, type Oid } from "../../core/oid.js";
import { removeQuietly, toIoError } from "../fs/index.js";
import { hashFileSyncCore } from "./hash-core.js";
import { type HashJob, type HashResult, WorkerPool } from "./hash-files-parallel.js";
import type { LocalStore } from "../store/index.js";
import type { Progress } from "../progress.js";
import { decodeSegments, encodeSegments, type SegmentRecord } from "./segment-records.js";
import type { StatCache } from "./stat-cache.js";
import { answerWithoutWalk, type FolderChangeMonitor } from "./folder-monitor.js";
import { type TreeListing, type WalkedFile, walkTree } from "./walk-tree.js";

export interface HashTreeOptions {
  cache?: StatCache;
  /** Repo-relative path of `dir`: the stat-cache key prefix. */
  cacheKey: string;
  /** Share a pool; otherwise one is started only when there is enough work. */
  pool?: WorkerPool;
  /** When given, every file's object (and the manifest) ends up in this store. */
  store?: LocalStore;
  /** Where previous manifests can be read (enables the splice path); defaults to `store`. */
  baseStore?: LocalStore;
  expectedFiles?: number;
  progress?: Progress;
  /** Return the manifest entries even when a faster path could answer without them. */
  needEntries?: boolean;
  /** Says which folders nobody touched since their record was confirmed (read-only commands). */
  monitor?: FolderChangeMonitor;
}

export interface HashedTree {
  oid: Oid;
  size: number;
  fileCount: number;
  /** The full manifest, when it was built. */
  entries?: ManifestEntry[];
  /** When the splice path answered: the changes relative to manifest `base` (paths relative to the folder). */
  changes?: { base: Oid; diff: ManifestDiff };
  /** Files actually read (not answered by the stat cache). */
  hashedFiles: number;
}

const POOL_THRESHOLD = 64;

export async function hashTree(dir: string, options: HashTreeOptions): Promise<HashedTree> {
  const ownPool = !options.pool && (options.expectedFiles ?? 0) >= 4000 ? new WorkerPool() : undefined;
  const opts = { ...options, ...(options.pool || !ownPool ? {} : { pool: ownPool }) };
  const unwalked = answerWithoutWalk(opts);
  if (unwalked) {
    await ownPool?.close();
    return unwalked;
  }
  try {
    const listing = await walkTree(dir, {
      expectedFiles: opts.expectedFiles ?? 0,
      ...(opts.pool ? { pool: opts.pool } : {}),
    });
    const { cache, store } = opts;
    const known = cache?.getTree(opts.cacheKey, listing.signature, listing.maxMtimeNs);
    if (known && !opts.needEntries && (!store || store.has(known.oid))) {
      opts.monitor?.confirm(opts.cacheKey, known.oid);
      return { oid: known.oid, size: known.size, fileCount: listing.count, hashedFiles: 0 };
    }
    if (!opts.needEntries) {
      const spliced = await trySplice(dir, listing, opts);
      if (spliced) return spliced;
    }
    const files = listing.files();
    const { entries, hashed, stable } = await resolveEntries(dir, files, opts);
    const parts = entries.map(serializeManifestEntry);
    const text = `[${parts.join(",")}]\n`;
    const oid = oidFromHex(createHash("sha256").update(text).digest("hex"));
    if (store) {
      const stored = await store.putBytes(Buffer.from(text));
      if (stored !== oid)
        throw new TrainyardError("corrupt", `manifest of ${dir} hashed differently when stored`);
    }
    let size = 0;
    for (const e of entries) size += e.size;
    // A record must point at a manifest the store holds, or the splice path could not use it.
    if (stable && cache && (store || opts.baseStore?.has(oid))) {
      cache.setTree(opts.cacheKey, {
        signature: listing.signature,
        oid,
        size,
        maxMtimeNs: listing.maxMtimeNs,
        segments: encodeSegments(segmentRecords(listing, entries, parts)),
      });
      opts.monitor?.confirm(opts.cacheKey, oid);
    }
    return { oid, entries, size, fileCount: files.length, hashedFiles: hashed };
  } finally {
    await ownPool?.close();
  }
}

/** Byte ranges of each top-level folder's entries in the manifest text (-1 for top-level files). */
function segmentRecords(
  listing: TreeListing,
  entries: readonly ManifestEntry[],
  parts: readonly string[],
): SegmentRecord[] {
  const ranges = new Map<string, [number, number]>();
  let pos = 1;
  for (let i = 0; i < entries.length; i++) {
    const path = entries[i]!.path;
    const slash = path.indexOf("/");
    if (slash !== -1) {
      const id = path.slice(0, slash + 1);
      const range = ranges.get(id);
      if (range) range[1] = pos + parts[i]!.length;
      else ranges.set(id, [pos, pos + parts[i]!.length]);
    }
    pos += parts[i]!.length + 1;
  }
  return listing.segments.map((s) => {
    const [start, end] = ranges.get(s.id) ?? [-1, -1];
    return { id: s.id, sig: s.sig, count: s.count, maxMtimeNs: s.maxMtimeNs, start, end };
  });
}

/** Apply changes confined to a few top-level folders to the recorded manifest text. */
async function trySplice(
  dir: string,
  listing: TreeListing,
  opts: HashTreeOptions,
): Promise<HashedTree | undefined> {
  const { cache } = opts;
  const base = opts.baseStore ?? opts.store;
  const record = cache?.lastTree(opts.cacheKey);
  if (!cache || !base || !record || !base.has(record.oid)) return undefined;
  const rows = decodeSegments(record.segments);
  if (!rows || rows.length !== listing.segments.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const now = listing.segments[i]!;
    if (row.id !== now.id) return undefined;
    if (row.sig === now.sig && row.maxMtimeNs === now.maxMtimeNs && cache.isTrusted(now.maxMtimeNs)) continue;
    if (row.start < 0 || row.count === 0 || now.count === 0) return undefined; // top-level files or an empty folder: rebuild
    changed.push(i);
  }
  if (changed.length === 0 || changed.length > Math.max(1, rows.length / 4)) return undefined;

  const oldText = (await base.readVerified(record.oid)).toString("utf8");
  const diff: ManifestDiff = { added: [], deleted: [], modified: [] };
  const newRows = rows.map((r) => ({ ...r }));
  let text = "";
  let cursor = 0;
  let size = record.size;
  let hashed = 0;
  let stable = true;
  for (const i of changed) {
    const row = rows[i]!;
    const now = listing.segments[i]!;
    const resolved = await resolveEntries(dir, listing.segmentFiles(now.id), opts);
    const before = parseManifest(`[${oldText.slice(row.start, row.end)}]`, base.objectPath(record.oid));
    const segmentText = resolved.entries.map(serializeManifestEntry).join(",");
    const d = diffManifests(before, resolved.entries);
    diff.added.push(...d.added);
    diff.deleted.push(...d.deleted);
    diff.modified.push(...d.modified);
    for (const e of before) size -= e.size;
    for (const e of resolved.entries) size += e.size;
    hashed += resolved.hashed;
    stable &&= resolved.stable;
    text += oldText.slice(cursor, row.start) + segmentText;
    cursor = row.end;
    newRows[i] = { ...now, start: row.start, end: row.start + segmentText.length };
  }
  text += oldText.slice(cursor);
  // Shift the ranges of every folder after a changed one.
  let shift = 0;
  for (let i = 0; i < newRows.length; i++) {
    const row = newRows[i]!;
    if (row.start < 0) continue;
    row.start += shift;
    row.end += shift;
    if (changed.includes(i)) {
      const old = rows[i]!;
      shift += row.end - row.start - (old.end - old.start);
    }
  }
  const oid = oidFromHex(createHash("sha256").update(text).digest("hex"));
  if (opts.store) await opts.store.putBytes(Buffer.from(text));
  // Without the new manifest in the store, keep the old record: the next run splices from it again.
  if (stable && (opts.store || base.has(oid))) {
    cache.setTree(opts.cacheKey, {
      signature: listing.signature,
      oid,
      size,
      maxMtimeNs: listing.maxMtimeNs,
      segments: encodeSegments(newRows),
    });
    opts.monitor?.confirm(opts.cacheKey, oid);
  }
  return { oid, size, fileCount: listing.count, hashedFiles: hashed, changes: { base: record.oid, diff } };
}

/** Manifest entries for `files`: stat-cache hits as they are, the rest hashed (and stored when ingesting). */
async function resolveEntries(
  dir: string,
  files: readonly WalkedFile[],
  opts: HashTreeOptions,
): Promise<{ entries: ManifestEntry[]; hashed: number; stable: boolean }> {
  const { cache, store } = opts;
  const entries: ManifestEntry[] = new Array(files.length);
  const misses: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const oid = cache?.get(`${opts.cacheKey}/${f.path}`, f);
    if (oid && (!store || store.has(oid)))
      entries[i] = { path: f.path, hash: oid, size: f.size, mode: f.mode };
    else misses.push(i);
  }
  let stable = true;
  if (misses.length === 0) return { entries, hashed: 0, stable };
  const jobs: HashJob[] = [];
  for (const i of misses) {
    const job: HashJob = { src: `${dir}/${files[i]!.path}` };
    if (store) {
      job.tmp = await store.newTempPath();
      // A batching store syncs every temp file once at its barrier; a sync per copy would double it.
      if (store.batching) job.sync = false;
    }
    jobs.push(job);
  }
  const progress = opts.progress;
  progress?.start(misses.length, store ? "adding" : "hashing");
  let results: HashResult[];
  try {
    if (jobs.length < POOL_THRESHOLD && !store) {
      // Few files: the workers' own loop on this thread costs less than starting the pool.
      results = jobs.map((job) => {
        const hashed = hashFileSyncCore(job);
        progress?.advance(1);
        return hashed;
      });
    } else {
      const pool = opts.pool ?? new WorkerPool();
      try {
        results = await pool.hash(jobs, (n) => progress?.advance(n));
      } finally {
        if (pool !== opts.pool) await pool.close();
      }
    }
  } catch (thrown) {
    await Promise.all(jobs.map((j) => (j.tmp ? removeQuietly(j.tmp) : undefined)));
    throw toIoError(thrown, "read", dir);
  } finally {
    progress?.stop();
  }
  const failed = results.findIndex((r) => "error" in r);
  if (failed !== -1) {
    await Promise.all(jobs.map((j) => (j.tmp ? removeQuietly(j.tmp) : undefined)));
    const error = results[failed] as { error: { code?: string; message: string } };
    throw toIoError(
      Object.assign(new Error(error.error.message), error.error),
      store ? "add" : "read",
      jobs[failed]!.src,
    );
  }
  for (let k = 0; k < misses.length; k++) {
    const i = misses[k]!;
    const f = files[i]!;
    const r = results[k] as { hex: string; size: number };
    const oid = oidFromHex(r.hex);
    // A file that changed while it was read is not cached (nor is the folder's record).
    if (r.size === f.size) cache?.set(`${opts.cacheKey}/${f.path}`, f, oid);
    else stable = false;
    if (store) await store.commitTemp(jobs[k]!.tmp!, oid);
    entries[i] = { path: f.path, hash: oid, size: r.size, mode: f.mode };
  }
  return { entries, hashed: misses.length, stable };
}
