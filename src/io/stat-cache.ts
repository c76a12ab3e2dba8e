/**
 * The stat cache remembers hashes we already computed, so an unchanged file (same inode, size and
 * mtime in ns) is never read again, and an unchanged tracked folder (same walk signature) is
 * recognised without looking up each of its files.
 *
 * File format (little endian), compact and fast to load:
 *   header  "TYSTAT02" | savedAtNs i64 | trees u32 | files u32 | payloadBytes u32 | sha256(payload) 32
 *   payload trees × { keyBytes u16 | key utf8 | signature 32 | oid 32 | size f64 | maxMtimeNs i64
 *                     | segmentBytes u32 | segments utf8 (opaque to the cache; see hash-tree.ts) }
 *           files × { pathBytes u16 | path utf8 | ino f64 | size f64 | mtimeNs i64 | sha256 32 }
 * A torn or corrupt file fails the length or checksum test and is rebuilt from scratch, never trusted.
 * File entries are decoded lazily: a no-op status on a big folder only needs the tree records.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Oid } from "../core/oid.js";
import { writeFileAtomic } from "./atomic-write.js";

const MAGIC = Buffer.from("TYSTAT03", "latin1");
const HEADER_BYTES = 8 + 8 + 4 + 4 + 4 + 32;
const FILE_FIXED = 8 + 8 + 8 + 32;
const TREE_FIXED = 32 + 32 + 8 + 8 + 4;
/**
 * A file modified shortly before the cache was saved might be modified again within the
 * filesystem's timestamp granularity without its mtime changing ("racy git"); such entries are
 * re-hashed on the next run rather than trusted.
 */
const RACY_WINDOW_NS = 20_000_000n;

export interface FileStat {
  ino: number;
  size: number;
  mtimeNs: bigint;
}

export interface StatCacheEntry extends FileStat {
  hex: string;
}

export interface TreeRecord {
  signature: string;
  oid: Oid;
  size: number;
  maxMtimeNs: bigint;
  /** Per-segment details that let a small change be applied without rebuilding the manifest. */
  segments: string;
}

interface Decoded {
  savedAtNs: bigint;
  trees: Map<string, TreeRecord>;
  fileCount: number;
  fileBytes: Buffer;
}

export class StatCache {
  /** Offsets of file entries in `loaded.fileBytes`, built on first use (paths only, values read on demand). */
  private index: Map<string, number> | undefined;
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

  private entry(path: string): StatCacheEntry | undefined {
    const changed = this.changes.get(path);
    if (changed !== undefined) return changed ?? undefined;
    this.index ??= indexFiles(this.loaded.fileBytes, this.loaded.fileCount);
    const offset = this.index.get(path);
    return offset === undefined ? undefined : readEntry(this.loaded.fileBytes, offset);
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

  /** Number of file entries. */
  get size(): number {
    if (this.changes.size === 0) return this.loaded.fileCount;
    return this.allFiles().size;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  private allFiles(): Map<string, StatCacheEntry> {
    this.index ??= indexFiles(this.loaded.fileBytes, this.loaded.fileCount);
    const all = new Map<string, StatCacheEntry>();
    for (const [path, offset] of this.index)
      if (!this.changes.has(path)) all.set(path, readEntry(this.loaded.fileBytes, offset));
    for (const [path, entry] of this.changes) if (entry) all.set(path, entry);
    return all;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await mkdir(dirname(this.file), { recursive: true });
    const unchanged = this.changes.size === 0;
    const fileBytes = unchanged ? this.loaded.fileBytes : encodeFiles(this.allFiles());
    const fileCount = unchanged ? this.loaded.fileCount : this.size;
    const savedAtNs = BigInt(Date.now()) * 1_000_000n;
    await writeFileAtomic(this.file, encode(this.loaded.trees, fileCount, fileBytes, savedAtNs));
    this.dirty = false;
  }
}

function indexFiles(bytes: Buffer, count: number): Map<string, number> {
  const index = new Map<string, number>();
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const pathBytes = bytes.readUInt16LE(offset);
    index.set(bytes.toString("utf8", offset + 2, offset + 2 + pathBytes), offset + 2 + pathBytes);
    offset += 2 + pathBytes + FILE_FIXED;
  }
  return index;
}

function readEntry(bytes: Buffer, offset: number): StatCacheEntry {
  return {
    ino: bytes.readDoubleLE(offset),
    size: bytes.readDoubleLE(offset + 8),
    mtimeNs: bytes.readBigInt64LE(offset + 16),
    hex: bytes.toString("hex", offset + 24, offset + 56),
  };
}

function encodeFiles(files: Map<string, StatCacheEntry>): Buffer {
  const chunks: Buffer[] = [];
  for (const [path, entry] of files) {
    const name = Buffer.from(path, "utf8");
    const out = Buffer.allocUnsafe(2 + name.length + FILE_FIXED);
    let offset = out.writeUInt16LE(name.length, 0);
    offset += name.copy(out, offset);
    offset = out.writeDoubleLE(entry.ino, offset);
    offset = out.writeDoubleLE(entry.size, offset);
    offset = out.writeBigInt64LE(entry.mtimeNs, offset);
    out.write(entry.hex, offset, 32, "hex");
    chunks.push(out);
  }
  return Buffer.concat(chunks);
}

function encode(
  trees: Map<string, TreeRecord>,
  fileCount: number,
  fileBytes: Buffer,
  savedAtNs: bigint,
): Buffer {
  const treeChunks: Buffer[] = [];
  for (const [key, record] of trees) {
    const name = Buffer.from(key, "utf8");
    const segments = Buffer.from(record.segments, "utf8");
    const out = Buffer.allocUnsafe(2 + name.length + TREE_FIXED + segments.length);
    let offset = out.writeUInt16LE(name.length, 0);
    offset += name.copy(out, offset);
    offset += out.write(record.signature, offset, 32, "hex");
    offset += out.write(record.oid.slice(7), offset, 32, "hex");
    offset = out.writeDoubleLE(record.size, offset);
    offset = out.writeBigInt64LE(record.maxMtimeNs, offset);
    offset = out.writeUInt32LE(segments.length, offset);
    segments.copy(out, offset);
    treeChunks.push(out);
  }
  const payload = Buffer.concat([...treeChunks, fileBytes]);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeBigInt64LE(savedAtNs, 8);
  header.writeUInt32LE(trees.size, 16);
  header.writeUInt32LE(fileCount, 20);
  header.writeUInt32LE(payload.length, 24);
  createHash("sha256").update(payload).digest().copy(header, 28);
  return Buffer.concat([header, payload]);
}

/** Header, checksum and tree records; undefined when anything is off (the cache is then rebuilt). */
export function decode(bytes: Buffer): Decoded | undefined {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) return undefined;
  const savedAtNs = bytes.readBigInt64LE(8);
  const treeCount = bytes.readUInt32LE(16);
  const fileCount = bytes.readUInt32LE(20);
  const payloadBytes = bytes.readUInt32LE(24);
  if (bytes.length !== HEADER_BYTES + payloadBytes) return undefined;
  if (!createHash("sha256").update(bytes.subarray(HEADER_BYTES)).digest().equals(bytes.subarray(28, 60)))
    return undefined;
  const trees = new Map<string, TreeRecord>();
  let offset = HEADER_BYTES;
  for (let i = 0; i < treeCount; i++) {
    if (offset + 2 > bytes.length) return undefined;
    const keyBytes = bytes.readUInt16LE(offset);
    offset += 2;
    if (offset + keyBytes + TREE_FIXED > bytes.length) return undefined;
    const key = bytes.toString("utf8", offset, offset + keyBytes);
    offset += keyBytes;
    const segmentBytes = bytes.readUInt32LE(offset + 80);
    if (offset + TREE_FIXED + segmentBytes > bytes.length) return undefined;
    trees.set(key, {
      signature: bytes.toString("hex", offset, offset + 32),
      oid: `sha256:${bytes.toString("hex", offset + 32, offset + 64)}`,
      size: bytes.readDoubleLE(offset + 64),
      maxMtimeNs: bytes.readBigInt64LE(offset + 72),
      segments: bytes.toString("utf8", offset + TREE_FIXED, offset + TREE_FIXED + segmentBytes),
    });
    offset += TREE_FIXED + segmentBytes;
  }
  const fileBytes = bytes.subarray(offset);
  // Validate the file section's framing now, so a bad cache is rejected as a whole up front.
  let cursor = 0;
  for (let i = 0; i < fileCount; i++) {
    if (cursor + 2 > fileBytes.length) return undefined;
    cursor += 2 + fileBytes.readUInt16LE(cursor) + FILE_FIXED;
  }
  if (cursor !== fileBytes.length) return undefined;
  return { savedAtNs, trees, fileCount, fileBytes };
}
