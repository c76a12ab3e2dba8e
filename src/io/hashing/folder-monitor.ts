/**
 * How hashTree uses a file-system monitor (src/io/fsmonitor implements it): a folder the monitor
 * vouches for is answered from its stat-cache record, without a walk.
 */
import type { Oid } from "../../core/oid.js";
import type { HashedTree, HashTreeOptions } from "./hash-tree.js";
import { decodeSegments } from "./segment-records.js";

/** A file-system monitor's answers, as hashTree uses them (see src/io/fsmonitor). */
export interface FolderChangeMonitor {
  /** Nothing under the folder `key` changed since its stat-cache record, with id `oid`, matched the disk. */
  unchanged(key: string, oid: Oid): boolean;
  /** A walk made after the monitor's query found the record of `key` (id `oid`) true, or wrote it. */
  confirm(key: string, oid: Oid): void;
}

/**
 * The folder's record, when a monitor says nothing under it changed since the record last matched
 * the disk: no walk at all. The file count is the sum of the record's segments.
 */
export function answerWithoutWalk(opts: HashTreeOptions): HashedTree | undefined {
  const { cache, store, monitor } = opts;
  if (!monitor || !cache || opts.needEntries) return undefined;
  const record = cache.lastTree(opts.cacheKey);
  if (!record || (store && !store.has(record.oid)) || !monitor.unchanged(opts.cacheKey, record.oid))
    return undefined;
  const rows = decodeSegments(record.segments);
  if (!rows) return undefined;
  let fileCount = 0;
  for (const row of rows) fileCount += row.count;
  return { oid: record.oid, size: record.size, fileCount, hashedFiles: 0 };
}
