/**
 * Hash a directory into its manifest: walk it, take unchanged files' hashes from the stat cache,
 * hash the rest on the worker pool (and, when adding, copy them into the store in the same pass).
 */
import { createHash } from "node:crypto";
import { TrainyardError } from "../core/errors.js";
import { type ManifestEntry, serializeManifest } from "../core/manifest.js";
import { oidFromHex, type Oid } from "../core/oid.js";
import { removeQuietly, toIoError } from "./atomic-write.js";
import { hashFileSync } from "./hash-file.js";
import { type HashJob, WorkerPool } from "./hash-files-parallel.js";
import type { LocalStore } from "./local-store.js";
import type { StatCache } from "./stat-cache.js";
import { walkTree } from "./walk-tree.js";

/** Structural twin of the CLI's progress port (io does not depend on the CLI). */
export interface ProgressSink {
  start(total: number, label: string): void;
  advance(amount?: number): void;
  stop(): void;
}

export interface HashTreeOptions {
  cache?: StatCache;
  /** Repo-relative path of `dir`: the stat-cache key prefix. */
  cacheKey: string;
  /** Share a pool; otherwise one is started only when there is enough work. */
  pool?: WorkerPool;
  /** When given, every file's object (and the manifest) ends up in this store. */
  store?: LocalStore;
  /** Return the manifest entries even when the walk signature alone identifies the folder. */
  needEntries?: boolean;
  expectedFiles?: number;
  progress?: ProgressSink;
}

export interface HashedTree {
  oid: Oid;
  size: number;
  fileCount: number;
  /** The manifest; absent when the folder was recognised from its walk signature alone. */
  entries?: ManifestEntry[];
  /** Files actually read (not answered by the stat cache). */
  hashedFiles: number;
}

const POOL_THRESHOLD = 64;

export async function hashTree(dir: string, options: HashTreeOptions): Promise<HashedTree> {
  const ownPool = !options.pool && (options.expectedFiles ?? 0) >= 4000 ? new WorkerPool() : undefined;
  try {
    const listing = await walkTree(dir, {
      expectedFiles: options.expectedFiles ?? 0,
      ...poolOption(options.pool ?? ownPool),
    });
    const { cache, store } = options;
    const known = cache?.getTree(options.cacheKey, listing.signature, listing.maxMtimeNs);
    if (known && !options.needEntries && (!store || store.has(known.oid))) {
      return { oid: known.oid, size: known.size, fileCount: listing.count, hashedFiles: 0 };
    }
    const files = listing.files();
    const entries: ManifestEntry[] = new Array(files.length);
    const misses: number[] = [];
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const oid = cache?.get(`${options.cacheKey}/${f.path}`, f);
      if (oid && (!store || store.has(oid)))
        entries[i] = { path: f.path, hash: oid, size: f.size, mode: f.mode };
      else misses.push(i);
    }
    if (misses.length > 0) {
      const jobs: HashJob[] = [];
      for (const i of misses) {
        const job: HashJob = { src: `${dir}/${files[i]!.path}` };
        if (store) job.tmp = await store.newTempPath();
        jobs.push(job);
      }
      const progress = options.progress;
      progress?.start(misses.length, store ? "adding" : "hashing");
      let results: Awaited<ReturnType<WorkerPool["hash"]>>;
      try {
        if (jobs.length < POOL_THRESHOLD && !store) {
          const buffer = Buffer.allocUnsafe(1024 * 1024);
          results = jobs.map((job) => {
            const { oid, size } = hashFileSync(job.src, buffer);
            progress?.advance(1);
            return { hex: oid.slice(7), size };
          });
        } else {
          const pool = options.pool ?? ownPool ?? new WorkerPool();
          try {
            results = await pool.hash(jobs, (n) => progress?.advance(n));
          } finally {
            if (pool !== options.pool && pool !== ownPool) await pool.close();
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
        if (r.size === f.size) cache?.set(`${options.cacheKey}/${f.path}`, f, oid);
        if (store) await store.commitTemp(jobs[k]!.tmp!, oid);
        entries[i] = { path: f.path, hash: oid, size: r.size, mode: f.mode };
      }
    }
    const manifestText = serializeManifest(entries);
    const oid = oidFromHex(createHash("sha256").update(manifestText).digest("hex"));
    if (store) {
      const stored = await store.putBytes(Buffer.from(manifestText));
      if (stored !== oid)
        throw new TrainyardError("corrupt", `manifest of ${dir} hashed differently when stored`);
    }
    let size = 0;
    for (const e of entries) size += e.size;
    // Only trust the signature if no file changed while we were reading it.
    const stable = misses.every((i, k) => entries[i]!.size === files[i]!.size && k >= 0);
    if (stable)
      cache?.setTree(options.cacheKey, {
        signature: listing.signature,
        oid,
        size,
        maxMtimeNs: listing.maxMtimeNs,
      });
    return { oid, entries, size, fileCount: files.length, hashedFiles: misses.length };
  } finally {
    await ownPool?.close();
  }
}

function poolOption(pool: WorkerPool | undefined): { pool?: WorkerPool } {
  return pool ? { pool } : {};
}
