/**
 * The stat cache remembers hashes we already computed, so an unchanged file (same inode, size and
 * mtime in ns) is never read again, and an unchanged tracked folder (same walk signature) is
 * recognised without looking up each of its files. The bytes on disk are stat-cache-format.ts.
 */
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Oid } from "../../core/oid.js";
import { writeFileAtomic } from "../fs/index.js";

import {
  comparePathAt,
  type Decoded,
  decode,
  encode,
  entryOffsets,
  type FileStat,
  mergeFiles,
  readEntry,
  type StatCacheEntry,
  type TreeRecord,
} from "./stat-cache-format.js";

export type { FileStat, StatCacheEntry, TreeRecord } from "./stat-cache-format.js";

/**
 * A file modified shortly before the cache was saved might be modified again within the
 * filesystem's timestamp granularity without its mtime changing ("racy git"); such entries are
 * re-hashed on the next run rather than trusted.
 */
const RACY_WINDOW_NS = 20_000_000n;

export class StatCache {
  /** Start offset of each file entry in `loaded.fileBytes` (entries are sorted by UTF-8 path bytes). */
  private offsets: Uint32Array | undefined;
  /** Entries set or deleted (null) since loading. */
  private readonly changes = new Map<string, StatCacheEntry | null>();
  private dirty = false;

  private constructor(
    readonly file: string,
    private readonly loaded: Decoded,
    /** True when an existing cache file was unreadable and has been discarded. */
    readonly rebuilt: boolean,
  ) {}

  /** Load the cache; a missing file gives an empty cache, a corrupt one an empty cache marked `rebuilt`. */
  static load(file: string): StatCache {
    const empty = (): Decoded => ({
      savedAtNs: 0n,
      trees: new Map(),
      fileCount: 0,
      fileBytes: Buffer.alloc(0),
    });
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return new StatCache(file, empty(), false);
    }
    const decoded = decode(bytes);
    if (decoded) return new StatCache(file, decoded, false);
    const cache = new StatCache(file, empty(), true);
    cache.dirty = true;
    return cache;
  }

  /** Binary search over the sorted file section: no per-entry decoding, so a big cache costs nothing until used. */
  private entry(path: string): StatCacheEntry | undefined {
    const changed = this.changes.get(path);
    if (changed !== undefined) return changed ?? undefined;
    const bytes = this.loaded.fileBytes;
    this.offsets ??= entryOffsets(bytes, this.loaded.fileCount);
    const key = Buffer.from(path, "utf8");
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const offset = this.offsets[mid]!;
      const order = comparePathAt(bytes, offset, key);
      if (order === 0) return readEntry(bytes, offset + 2 + key.length);
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  private trusted(mtimeNs: bigint): boolean {
    return mtimeNs < this.loaded.savedAtNs - RACY_WINDOW_NS;
  }

  /** The cached hash when `stat` matches what was hashed and the entry is not racy. */
  get(path: string, stat: FileStat): Oid | undefined {
    const entry = this.entry(path);
    if (!entry || entry.ino !== stat.ino || entry.size !== stat.size || entry.mtimeNs !== stat.mtimeNs)
      return undefined;
    return this.trusted(entry.mtimeNs) ? `sha256:${entry.hex}` : undefined;
  }

  set(path: string, stat: FileStat, oid: Oid): void {
    const hex = oid.slice(7);
    const old = this.entry(path);
    if (
      old &&
      old.hex === hex &&
      old.ino === stat.ino &&
      old.size === stat.size &&
      old.mtimeNs === stat.mtimeNs
    ) {
      // Same values, but a racy entry must be re-saved so it becomes trusted next time.
      if (!this.trusted(old.mtimeNs)) this.dirty = true;
      return;
    }
    this.changes.set(path, { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, hex });
    this.dirty = true;
  }

  delete(path: string): void {
    if (this.entry(path)) {
      this.changes.set(path, null);
      this.dirty = true;
    }
  }

  /** The recorded id of a folder whose walk signature is unchanged (and not racy). */
  getTree(key: string, signature: string, maxMtimeNs: bigint): TreeRecord | undefined {
    const record = this.loaded.trees.get(key);
    if (!record || record.signature !== signature || record.maxMtimeNs !== maxMtimeNs) return undefined;
    return this.trusted(maxMtimeNs) ? record : undefined;
  }

  /** The last record of a folder whatever its signature (for applying a small change to it). */
  lastTree(key: string): TreeRecord | undefined {
    return this.loaded.trees.get(key);
  }

  /** Every folder that has a record. */
  treeKeys(): IterableIterator<string> {
    return this.loaded.trees.keys();
  }

  /** Whether a file or segment last modified at `mtimeNs` can be trusted from this cache. */
  isTrusted(mtimeNs: bigint): boolean {
    return this.trusted(mtimeNs);
  }

  setTree(key: string, record: TreeRecord): void {
    const old = this.loaded.trees.get(key);
    if (old && old.signature === record.signature && old.oid === record.oid && this.trusted(old.maxMtimeNs))
      return;
    this.loaded.trees.set(key, record);
    this.dirty = true;
  }

  deleteTree(key: string): void {
    if (this.loaded.trees.delete(key)) this.dirty = true;
  }

  /** Number of file entries (after pending changes). */
  get size(): number {
    return this.changes.size === 0
      ? this.loaded.fileCount
      : mergeFiles(this.loaded.fileBytes, this.loaded.fileCount, this.changes).count;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await mkdir(dirname(this.file), { recursive: true });
    const { bytes, count } = mergeFiles(this.loaded.fileBytes, this.loaded.fileCount, this.changes);
    const savedAtNs = BigInt(Date.now()) * 1_000_000n;
    await writeFileAtomic(this.file, encode(this.loaded.trees, count, bytes, savedAtNs));
    this.dirty = false;
  }
}
