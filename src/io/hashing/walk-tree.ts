/**
 * List every regular file below a directory, in manifest order, with the stat fields the stat cache
 * needs, plus a signature of the whole listing (paths, inodes, sizes, mtimes, modes) so an unchanged
 * tree is recognised at once. Big trees are split (top-level folders and chunks of top-level files)
 * across the calling thread and the worker pool; the walk code is the one the workers run
 * (hash-core.ts), so both sides agree exactly.
 */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync } from "node:fs";
import { errnoCode, toError, TrainyardError } from "../../core/errors.js";
import {
  mtimeNsFromMs,
  UNREADABLE_NAME,
  type WalkPart,
  type WalkSegment,
  type WalkShare,
  walkFolders,
} from "./hash-core.js";
import type { WorkerPool } from "./hash-files-parallel.js";

export interface WalkedFile {
  /** POSIX path relative to the walked directory. */
  path: string;
  ino: number;
  size: number;
  mtimeNs: bigint;
  mode: number;
}

export interface ListingSegment {
  /** `<top-level folder>/`, or `#<n>` for the n-th chunk of top-level files. */
  id: string;
  sig: string;
  count: number;
  maxMtimeNs: bigint;
}

export interface TreeListing {
  count: number;
  /** Folder segments (in path order), then the chunks of top-level files. */
  segments: ListingSegment[];
  /** The files of one segment, sorted by path. */
  segmentFiles(id: string): WalkedFile[];
  /** sha256 (hex) over every file's path, inode, size, mtime and mode. */
  signature: string;
  maxMtimeNs: bigint;
  /** The files, sorted by path (built on demand). */
  files(): WalkedFile[];
}

export interface WalkOptions {
  pool?: WorkerPool;
  /** Expected file count (from the pointer); large trees are walked in parallel. */
  expectedFiles?: number;
}

export const PARALLEL_WALK_THRESHOLD = 4000;
/** Fixed (not per-core) so the signature of a flat folder is the same on every machine. */
const FILE_CHUNK = 2048;

export async function walkTree(root: string, options: WalkOptions = {}): Promise<TreeListing> {
  const top = readdirSync(root, { withFileTypes: true })
    .map((e) => ({ key: e.isDirectory() ? `${e.name}/` : e.name, name: e.name, isDir: e.isDirectory() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const dirs = top.filter((t) => t.isDir).map((t) => t.name);
  const names = top.filter((t) => !t.isDir).map((t) => t.name);
  const chunks: WalkShare["fileChunks"] = [];
  for (let i = 0; i < names.length; i += FILE_CHUNK)
    chunks.push({ id: `#${i / FILE_CHUNK}`, names: names.slice(i, i + FILE_CHUNK) });

  const pool = options.pool;
  const units = dirs.length + chunks.length;
  const parallel =
    pool && pool.size > 1 && units > 1 && (options.expectedFiles ?? 0) >= PARALLEL_WALK_THRESHOLD;
  const lanes = parallel ? pool.size : 1; // the calling thread takes a share, the workers the rest
  const shares: WalkShare[] = Array.from({ length: lanes }, () => ({ dirs: [], fileChunks: [] }));
  for (const [i, dir] of dirs.entries()) shares[i % lanes]!.dirs.push(dir);
  for (const [i, chunk] of chunks.entries()) shares[(dirs.length + i) % lanes]!.fileChunks.push(chunk);
  const remote = parallel
    ? shares
        .slice(1)
        .map((share, lane) =>
          share.dirs.length + share.fileChunks.length ? pool.walk(lane, root, share) : undefined,
        )
    : [];
  const parts: WalkPart[] = [];
  try {
    parts.push(walkFolders(root, shares[0]!));
    for (const part of await Promise.all(remote)) if (part) parts.push(part);
  } catch (thrown) {
    if (errnoCode(thrown) === UNREADABLE_NAME)
      throw new TrainyardError("path", `${root}: ${toError(thrown).message}`);
    throw thrown;
  }

  const segments = new Map<string, { part: WalkPart; segment: WalkSegment }>();
  for (const part of parts) {
    if (part.symlinks.length > 0) {
      throw new TrainyardError(
        "path",
        `${root}/${part.symlinks[0]} is a symbolic link; tracked folders may only contain regular files and folders`,
      );
    }
    if (part.others.length > 0)
      throw new TrainyardError(
        "path",
        `${root}/${part.others[0]} is not a regular file (socket, fifo or device)`,
      );
    for (const segment of part.segments) segments.set(segment.id, { part, segment });
  }

  const signature = createHash("sha256");
  let count = 0;
  let maxMtimeNs = 0n;
  const listed: ListingSegment[] = [];
  for (const id of [...dirs.map((d) => `${d}/`), ...chunks.map((c) => c.id)]) {
    const { segment } = segments.get(id)!;
    signature.update(`${id}\0${segment.count}\0${segment.sig}\n`);
    count += segment.count;
    const segmentMax = mtimeNsFromMs(segment.maxMtime);
    if (segmentMax > maxMtimeNs) maxMtimeNs = segmentMax;
    listed.push({ id, sig: segment.sig, count: segment.count, maxMtimeNs: segmentMax });
  }
  const split = new Map<WalkPart, string[]>();
  return {
    count,
    segments: listed,
    signature: signature.digest("hex"),
    maxMtimeNs,
    files: () => assemble(top, chunks, segments, split),
    segmentFiles(id) {
      const { part, segment } = segments.get(id)!;
      const out: WalkedFile[] = [];
      for (let i = segment.first; i < segment.first + segment.count; i++) out.push(readFile(part, i, split));
      return out;
    },
  };
}

/** Interleave folder segments and top-level files back into sorted order. */
function readFile(part: WalkPart, i: number, split: Map<WalkPart, string[]>): WalkedFile {
  let paths = split.get(part);
  if (!paths) {
    paths = part.count ? part.paths.split("\0") : [];
    split.set(part, paths);
  }
  return {
    path: paths[i]!,
    ino: part.ino[i]!,
    size: part.size[i]!,
    mtimeNs: mtimeNsFromMs(part.mtime[i]!),
    mode: part.mode[i]!,
  };
}

function assemble(
  top: readonly { name: string; isDir: boolean }[],
  chunks: WalkShare["fileChunks"],
  segments: Map<string, { part: WalkPart; segment: WalkSegment }>,
  split: Map<WalkPart, string[]>,
): WalkedFile[] {
  const read = (part: WalkPart, i: number) => readFile(part, i, split);
  const topFiles = new Map<string, WalkedFile>();
  for (const chunk of chunks) {
    const { part, segment } = segments.get(chunk.id)!;
    for (let i = segment.first; i < segment.first + segment.count; i++) {
      const f = read(part, i);
      topFiles.set(f.path, f);
    }
  }
  const files: WalkedFile[] = [];
  for (const t of top) {
    if (!t.isDir) {
      files.push(topFiles.get(t.name)!);
      continue;
    }
    const { part, segment } = segments.get(`${t.name}/`)!;
    for (let i = segment.first; i < segment.first + segment.count; i++) files.push(read(part, i));
  }
  return files;
}

/** Stat one file the way the walk does. */
export function statFile(abs: string, rel: string): WalkedFile {
  const st = lstatSync(abs);
  return {
    path: rel,
    ino: st.ino,
    size: st.size,
    mtimeNs: mtimeNsFromMs(st.mtimeMs),
    mode: st.mode & 0o777,
  };
}
