/**
 * The stat cache's file format (little endian), compact and fast to load:
 *   header  "TYSTAT05" | savedAtNs i64 | trees u32 | files u32 | treeBytes u32 | fileBytes u32
 *           | sha256(tree section) 32 | sha256(file section) 32
 *   trees   × { keyBytes u16 | key utf8 | signature 32 | oid 32 | size f64 | maxMtimeNs i64
 *               | segmentBytes u32 | segments utf8 (opaque to the cache; see hash-tree.ts) }
 *   files   × { pathBytes u16 | path utf8 | ino f64 | size f64 | mtimeNs i64 | sha256 32 }
 * Each section has its own checksum so the file section (most of the bytes: ~70 per tracked file)
 * is read and checked only when a command needs a file entry: a no-op status that a file-system
 * monitor answers from the folder records never reads it. A torn or corrupt file fails the length
 * or checksum test and is rebuilt from scratch, never trusted. File entries are kept sorted by
 * UTF-8 path bytes and looked up by binary search in the loaded bytes, and a save after a small
 * change copies untouched entries as raw bytes. Caches written as "TYSTAT04" (one checksum over
 * both sections) are still read.
 */
import { createHash } from "node:crypto";
import type { Oid } from "../../core/oid.js";

const MAGIC = Buffer.from("TYSTAT05", "latin1");
const MAGIC_V4 = Buffer.from("TYSTAT04", "latin1");
/** Enough of the file to read either version's header. */
export const HEADER_BYTES = 8 + 8 + 4 + 4 + 4 + 4 + 32 + 32;
const HEADER_V4 = 8 + 8 + 4 + 4 + 4 + 32;
const FILE_FIXED = 8 + 8 + 8 + 32;
const TREE_FIXED = 32 + 32 + 8 + 8 + 4;
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

/** The file section as loaded: `count` entries in `bytes`. */
export interface FileSection {
  count: number;
  bytes: Buffer;
}

/** What a header says (and the tree records after it); the file section is read separately. */
export interface DecodedHead {
  savedAtNs: bigint;
  trees: Map<string, TreeRecord>;
  fileCount: number;
  /** Where the file section starts in the file, and its length. */
  fileOffset: number;
  fileLength: number;
  /** sha256 of the file section; undefined when it was already checked with the rest (TYSTAT04). */
  fileSum?: Buffer;
  /** The file section itself when the whole file had to be read to check it (TYSTAT04). */
  files?: FileSection;
}

export function entryOffsets(bytes: Buffer, count: number): Uint32Array {
  const offsets = new Uint32Array(count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    offsets[i] = offset;
    offset += 2 + (bytes[offset]! | (bytes[offset + 1]! << 8)) + FILE_FIXED;
  }
  return offsets;
}

/** Order of the path stored at `offset` relative to `key` (UTF-8 byte order). */
export function comparePathAt(bytes: Buffer, offset: number, key: Buffer): number {
  const length = bytes.readUInt16LE(offset);
  return bytes.compare(key, 0, key.length, offset + 2, offset + 2 + length);
}

export function readEntry(bytes: Buffer, offset: number): StatCacheEntry {
  return {
    ino: bytes.readDoubleLE(offset),
    size: bytes.readDoubleLE(offset + 8),
    mtimeNs: bytes.readBigInt64LE(offset + 16),
    hex: bytes.toString("hex", offset + 24, offset + 56),
  };
}

function encodeEntry(path: Buffer, entry: StatCacheEntry): Buffer {
  const out = Buffer.allocUnsafe(2 + path.length + FILE_FIXED);
  let offset = out.writeUInt16LE(path.length, 0);
  offset += path.copy(out, offset);
  offset = out.writeDoubleLE(entry.ino, offset);
  offset = out.writeDoubleLE(entry.size, offset);
  offset = out.writeBigInt64LE(entry.mtimeNs, offset);
  out.write(entry.hex, offset, 32, "hex");
  return out;
}

/**
 * Merge the (sorted) loaded entries with the pending changes, copying untouched entries as raw
 * bytes: saving after a small change costs a copy, not a decode of every entry.
 */
export function mergeFiles(
  bytes: Buffer,
  count: number,
  changes: Map<string, StatCacheEntry | null>,
): { bytes: Buffer; count: number } {
  if (changes.size === 0) return { bytes, count };
  const pending = [...changes].map(([path, entry]) => ({ key: Buffer.from(path, "utf8"), entry }));
  pending.sort((a, b) => Buffer.compare(a.key, b.key));
  const chunks: Buffer[] = [];
  let total = 0;
  let offset = 0;
  let runStart = 0;
  let p = 0;
  const flushRun = (end: number) => {
    if (end > runStart) chunks.push(bytes.subarray(runStart, end));
  };
  for (let i = 0; i < count; i++) {
    const length = bytes.readUInt16LE(offset);
    const size = 2 + length + FILE_FIXED;
    let replaced = false;
    while (p < pending.length) {
      const order = -comparePathAt(bytes, offset, pending[p]!.key); // pending vs stored
      if (order > 0) break;
      flushRun(offset);
      runStart = offset;
      const change = pending[p++]!;
      if (order === 0) {
        replaced = true;
        runStart = offset + size;
      }
      if (change.entry) {
        chunks.push(encodeEntry(change.key, change.entry));
        total++;
      }
      if (order === 0) break;
    }
    if (!replaced) total++;
    offset += size;
  }
  flushRun(offset);
  for (; p < pending.length; p++) {
    const change = pending[p]!;
    if (change.entry) {
      chunks.push(encodeEntry(change.key, change.entry));
      total++;
    }
  }
  return { bytes: Buffer.concat(chunks), count: total };
}

export function encode(trees: Map<string, TreeRecord>, files: FileSection, savedAtNs: bigint): Buffer {
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
  const treeSection = Buffer.concat(treeChunks);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeBigInt64LE(savedAtNs, 8);
  header.writeUInt32LE(trees.size, 16);
  header.writeUInt32LE(files.count, 20);
  header.writeUInt32LE(treeSection.length, 24);
  header.writeUInt32LE(files.bytes.length, 28);
  createHash("sha256").update(treeSection).digest().copy(header, 32);
  createHash("sha256").update(files.bytes).digest().copy(header, 64);
  return Buffer.concat([header, treeSection, files.bytes]);
}

/**
 * The header and tree records, from the first bytes of the file (`readAt` reads `length` bytes at
 * `position`; `fileSize` is the file's length). Undefined when anything is off: the cache is then
 * rebuilt.
 */
export function decodeHead(
  fileSize: number,
  readAt: (position: number, length: number) => Buffer,
): DecodedHead | undefined {
  if (fileSize < HEADER_V4) return undefined;
  const header = readAt(0, Math.min(HEADER_BYTES, fileSize));
  if (header.subarray(0, 8).equals(MAGIC_V4)) return decodeV4(readAt(0, fileSize));
  if (header.length < HEADER_BYTES || !header.subarray(0, 8).equals(MAGIC)) return undefined;
  const treeCount = header.readUInt32LE(16);
  const fileCount = header.readUInt32LE(20);
  const treeBytes = header.readUInt32LE(24);
  const fileLength = header.readUInt32LE(28);
  // A torn write shows here: the length the header promises is not what is on disk.
  if (fileSize !== HEADER_BYTES + treeBytes + fileLength) return undefined;
  const treeSection = readAt(HEADER_BYTES, treeBytes);
  if (!createHash("sha256").update(treeSection).digest().equals(header.subarray(32, 64))) return undefined;
  const trees = decodeTrees(treeSection, treeCount);
  if (!trees || trees.end !== treeSection.length) return undefined;
  return {
    savedAtNs: header.readBigInt64LE(8),
    trees: trees.records,
    fileCount,
    fileOffset: HEADER_BYTES + treeBytes,
    fileLength,
    fileSum: Buffer.from(header.subarray(64, 96)),
  };
}

/** The file section, checked against its sum and framing; undefined when it is damaged. */
export function checkFiles(bytes: Buffer, count: number, sum: Buffer | undefined): FileSection | undefined {
  if (sum && !createHash("sha256").update(bytes).digest().equals(sum)) return undefined;
  let cursor = 0;
  // Plain byte reads: readUInt16LE's checks cost ~1 µs per entry in this once-per-run loop.
  for (let i = 0; i < count; i++) {
    if (cursor + 2 > bytes.length) return undefined;
    cursor += 2 + (bytes[cursor]! | (bytes[cursor + 1]! << 8)) + FILE_FIXED;
  }
  return cursor === bytes.length ? { count, bytes } : undefined;
}

function decodeTrees(
  bytes: Buffer,
  count: number,
): { records: Map<string, TreeRecord>; end: number } | undefined {
  const records = new Map<string, TreeRecord>();
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 2 > bytes.length) return undefined;
    const keyBytes = bytes.readUInt16LE(offset);
    offset += 2;
    if (offset + keyBytes + TREE_FIXED > bytes.length) return undefined;
    const key = bytes.toString("utf8", offset, offset + keyBytes);
    offset += keyBytes;
    const segmentBytes = bytes.readUInt32LE(offset + 80);
    if (offset + TREE_FIXED + segmentBytes > bytes.length) return undefined;
    records.set(key, {
      signature: bytes.toString("hex", offset, offset + 32),
      oid: `sha256:${bytes.toString("hex", offset + 32, offset + 64)}`,
      size: bytes.readDoubleLE(offset + 64),
      maxMtimeNs: bytes.readBigInt64LE(offset + 72),
      segments: bytes.toString("utf8", offset + TREE_FIXED, offset + TREE_FIXED + segmentBytes),
    });
    offset += TREE_FIXED + segmentBytes;
  }
  return { records, end: offset };
}

/** The previous layout: one checksum over trees and files, so the whole file is read and checked. */
function decodeV4(bytes: Buffer): DecodedHead | undefined {
  const fileCount = bytes.readUInt32LE(20);
  const payloadBytes = bytes.readUInt32LE(24);
  if (bytes.length !== HEADER_V4 + payloadBytes) return undefined;
  const payload = bytes.subarray(HEADER_V4);
  if (!createHash("sha256").update(payload).digest().equals(bytes.subarray(28, 60))) return undefined;
  const trees = decodeTrees(payload, bytes.readUInt32LE(16));
  if (!trees) return undefined;
  const files = checkFiles(payload.subarray(trees.end), fileCount, undefined);
  if (!files) return undefined;
  return {
    savedAtNs: bytes.readBigInt64LE(8),
    trees: trees.records,
    fileCount,
    fileOffset: HEADER_V4 + trees.end,
    fileLength: files.bytes.length,
    files,
  };
}
