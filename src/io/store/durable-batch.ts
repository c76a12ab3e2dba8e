/**
 * Durability for a batch of new objects with one barrier instead of one fsync per object, in the
 * spirit of git's `core.fsyncMethod=batch`. Objects of the batch stay under their temp names (in the
 * store's `tmp/`) until the barrier, which (1) makes every temp file durable — one `syncfs` of the
 * store's filesystem where available, else an fsync per file, in parallel so the filesystem can
 * share journal commits — (2) renames each one to its final name, (3) makes the new names durable
 * the same way (one `syncfs`, else an fsync of every shard folder that received a name). So a name under `objects/` only ever points at bytes already
 * on disk, even across a power cut, and callers write pointers only after the barrier returned.
 * A process killed before or during the barrier leaves temp files (removed by the next command,
 * see crash-leftovers) and complete objects, never a partial one under a final name.
 */
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";
import type { Oid } from "../../core/oid.js";
import { removeQuietly, syncDirectory, syncFileSystem, toIoError } from "../fs/index.js";

/** How many fsyncs run at once: enough to batch journal commits, few enough not to flood the fd table. */
const SYNC_PARALLELISM = 32;
const REPLACE_REFUSES_READ_ONLY = process.platform === "win32";

export class DurableBatch {
  private readonly pending = new Map<Oid, string>();

  constructor(
    private readonly finalPath: (oid: Oid) => string,
    /** Called once the temp files are synced and again halfway through the renames (crash tests). */
    private readonly onBarrierStep?: (step: "synced" | "renaming") => void,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** The temp file holding `oid` until the barrier, if it is part of this batch. */
  tempFor(oid: Oid): string | undefined {
    return this.pending.get(oid);
  }

  /** Take ownership of a verified temp file; false when the object is already stored or pending. */
  async add(temp: string, oid: Oid): Promise<boolean> {
    if (this.pending.has(oid) || existsSync(this.finalPath(oid))) {
      await removeQuietly(temp);
      return false;
    }
    this.pending.set(oid, temp);
    return true;
  }

  /** The barrier: sync temp files, rename them into place, sync the shard folders. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    const [, firstTemp] = entries[0]!;
    if (!(await syncFileSystem(dirname(firstTemp))))
      await forEachLimited(entries, SYNC_PARALLELISM, ([, temp]) => syncFile(temp));
    this.onBarrierStep?.("synced");
    const shards = new Set<string>();
    const half = Math.floor(entries.length / 2);
    for (let i = 0; i < entries.length; i++) {
      if (i === half) this.onBarrierStep?.("renaming");
      const [oid, temp] = entries[i]!;
      const dest = this.finalPath(oid);
      const shard = dirname(dest);
      // Synchronous on purpose: nothing else runs during the barrier, and a thread hop per rename
      // cost more than the rename itself (20,000 objects). An object that appeared meanwhile is
      // replaced by verified identical bytes, which is harmless, so no existence check first —
      // except on Windows, where a rename cannot replace a read-only file.
      try {
        if (!shards.has(shard)) mkdirSync(shard, { recursive: true });
        shards.add(shard);
        if (REPLACE_REFUSES_READ_ONLY && existsSync(dest)) await removeQuietly(temp);
        else renameSync(temp, dest);
      } catch (thrown) {
        throw toIoError(thrown, "store object", dest);
      }
      this.pending.delete(oid);
    }
    if (shards.size > 0 && (await syncFileSystem([...shards][0]!))) return;
    // A new shard folder's own name lives in its parent: sync that too.
    const parents = new Set([...shards].map((s) => dirname(s)));
    await forEachLimited([...shards, ...parents], SYNC_PARALLELISM, syncDirectory);
  }

  /** Drop what was not flushed (after a failure): the temp files go, no name was ever given. */
  async discard(): Promise<void> {
    const temps = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(temps.map(removeQuietly));
  }
}

async function syncFile(path: string): Promise<void> {
  try {
    const handle = await open(path, "r");
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  } catch (thrown) {
    throw toIoError(thrown, "sync", path);
  }
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
