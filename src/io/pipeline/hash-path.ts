/**
 * Hash one pipeline path (a dep or an out) as the lock records it: a file's content id, or a
 * folder's manifest id with its file count. Unchanged files come from the stat cache; with
 * `store`, the content is also put into the local store (outs after a successful stage).
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { LockEntry } from "../../core/lock.js";
import { serializeManifest } from "../../core/manifest.js";
import type { DataContext } from "../data/index.js";
import { hashFile, hashTree, statFile } from "../hashing/index.js";

/** Undefined when the path does not exist. */
export async function hashRepoPath(
  ctx: Pick<DataContext, "repo" | "cache" | "pool" | "store" | "monitor">,
  path: string,
  options: { store?: DataContext["store"]; expectedFiles?: number } = {},
): Promise<LockEntry | undefined> {
  const abs = join(ctx.repo.root, path);
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (st.isDirectory()) {
    const tree = await hashTree(abs, {
      cache: ctx.cache,
      cacheKey: path,
      pool: ctx.pool,
      baseStore: ctx.store,
      // The file count from the lock lets a big folder be walked in parallel from the start.
      expectedFiles: options.expectedFiles ?? 0,
      ...(ctx.monitor ? { monitor: ctx.monitor } : {}),
      ...(options.store ? { store: options.store } : {}),
    });
    // A dep folder's files are not copied into the store, but its (small) manifest is: the stat
    // cache only records a whole-folder signature for a manifest the store holds, and that record
    // is what lets the next no-op status skip re-reading every file's cache entry.
    if (tree.entries && !ctx.store.has(tree.oid))
      await ctx.store.putBytes(Buffer.from(serializeManifest(tree.entries)));
    return { path, hash: tree.oid, size: tree.size, files: tree.fileCount };
  }
  const stat = statFile(abs, path);
  const cached = ctx.cache.get(path, stat);
  if (cached && (!options.store || options.store.has(cached))) return { path, hash: cached, size: stat.size };
  const hashed = options.store ? await options.store.putFile(abs) : await hashFile(abs);
  if (hashed.size === stat.size) ctx.cache.set(path, stat, hashed.oid);
  return { path, hash: hashed.oid, size: hashed.size };
}
