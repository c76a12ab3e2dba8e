/**
 * The stat cache remembers hashes we already computed, so an unchanged file (same inode, size and
 * mtime in ns) is never read again, and an unchanged tracked folder (same walk signature) is
 * recognised without looking up each of its files. The bytes on disk are stat-cache-format.ts.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Oid } from "../../core/oid.js";
import { writeFileAtomic } from "../fs/index.js";

import {
  checkFiles,
  comparePathAt,
  type DecodedHead,
  decodeHead,
  encode,
  entryOffsets,
  type FileSection,
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

const EMPTY_FILES: FileSection = { count: 0, bytes: Buffer.alloc(0) };

export class StatCache {
  /** Start offset of each file entry in the file section (entries are sorted by UTF-8 path bytes). */
  private offsets: Uint32Array | undefined;
  /** Entries set or deleted (null) since loading. */
  private readonly changes = new Map<string, StatCacheEntry | null>();
  private dirty = false;
  private loadedFiles: FileSection | undefined;
  private damaged = false;

  private constructor(
    readonly file: string,
    private readonly head: DecodedHead,
    /**
     * The cache file, kept open until its file section is needed: the bytes read then are the
     * same version as the header, even if another command has replaced the file since.
     */
    private fd: number | undefined,
    damaged: boolean,
  ) {
    this.damaged = damaged;
    this.dirty = damaged;
    this.loadedFiles = head.files ?? (fd === undefined ? EMPTY_FILES : undefined);
  }

  /** Load the cache; a missing file gives an empty cache, a corrupt one an empty cache marked `rebuilt`. */
  static load(file: string): StatCache {
    const empty: DecodedHead = {
      savedAtNs: 0n,
      trees: new Map(),
      fileCount: 0,
      fileOffset: 0,
      fileLength: 0,
    };
    let fd: number;
    try {
      fd = openSync(file, "r");
    } catch {
      return new StatCache(file, empty, undefined, false);
    }
    let head: DecodedHead | undefined;
    try {
      head = decodeHead(fstatSync(fd).size, (position, length) => readAt(fd, position, length));
    } catch {
      head = undefined;
    }
    if (!head) {
      closeSync(fd);
      return new StatCache(file, empty, undefined, true);
    }
    if (head.files) {
      closeSync(fd);
      const cache = new StatCache(file, head, undefined, false);
      cache.dirty = true; // the previous layout: saved once in the new one
      return cache;
    }
    return new StatCache(file, head, fd, false);
  }

  /** True when an existing cache file was unreadable and has been discarded (reads the whole file). */
  get rebuilt(): boolean {
    this.files();
    return this.damaged;
  }

  /** The file section, read and checked on first use; a damaged one is dropped (and rebuilt). */
  private files(): FileSection {
    if (this.loadedFiles) return this.loadedFiles;
    // A programming error, not damage: reading through a closed descriptor must not drop entries.
    if (this.fd === undefined) throw new Error(`stat cache ${this.file} used after close()`);
    const { fileOffset, fileLength, fileCount, fileSum } = this.head;
    let section: FileSection | undefined;
    try {
      section = checkFiles(readAt(this.fd!, fileOffset, fileLength), fileCount, fileSum);
    } catch {
      section = undefined;
    }
    this.close();
    if (!section) {
      // The folder records stay: their own checksum held, and they never depend on file entries.
      this.damaged = true;
      this.dirty = true;
    }
    this.loadedFiles = section ?? EMPTY_FILES;
    return this.loadedFiles;
  }

  /** Let go of the cache file if its file section was never needed. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** Binary search over the sorted file section: no per-entry decoding, so a big cache costs nothing until used. */
  private entry(path: string): StatCacheEntry | undefined {
    const changed = this.changes.get(path);
    if (changed !== undefined) return changed ?? undefined;
    const { bytes, count } = this.files();
    this.offsets ??= entryOffsets(bytes, count);
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
    return mtimeNs < this.head.savedAtNs - RACY_WINDOW_NS;
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
    const record = this.head.trees.get(key);
    if (!record || record.signature !== signature || record.maxMtimeNs !== maxMtimeNs) return undefined;
    return this.trusted(maxMtimeNs) ? record : undefined;
  }

  /** The last record of a folder whatever its signature (for applying a small change to it). */
  lastTree(key: string): TreeRecord | undefined {
    return this.head.trees.get(key);
  }

  /** Every folder that has a record. */
  treeKeys(): IterableIterator<string> {
    return this.head.trees.keys();
  }

  /** Whether a file or segment last modified at `mtimeNs` can be trusted from this cache. */
  isTrusted(mtimeNs: bigint): boolean {
    return this.trusted(mtimeNs);
  }

  setTree(key: string, record: TreeRecord): void {
    const old = this.head.trees.get(key);
    if (old && old.signature === record.signature && old.oid === record.oid && this.trusted(old.maxMtimeNs))
      return;
    this.head.trees.set(key, record);
    this.dirty = true;
  }

  deleteTree(key: string): void {
    if (this.head.trees.delete(key)) this.dirty = true;
  }

  /** Number of file entries (after pending changes). */
  get size(): number {
    const files = this.files();
    return this.changes.size === 0 ? files.count : mergeFiles(files.bytes, files.count, this.changes).count;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await mkdir(dirname(this.file), { recursive: true });
    const files = this.files();
    const merged = mergeFiles(files.bytes, files.count, this.changes);
    const savedAtNs = BigInt(Date.now()) * 1_000_000n;
    await writeFileAtomic(this.file, encode(this.head.trees, merged, savedAtNs));
    this.dirty = false;
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) throw new Error("the stat cache ended early");
    done += n;
  }
  return out;
}
