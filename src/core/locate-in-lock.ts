/**
 * Where the store holds a file a stage wrote, according to a lock: its own entry (a metric or
 * plot the lock records), or an entry inside a folder out (the dvclive layout, `eval/metrics.json`
 * inside `eval`), found in that folder's manifest. Pure: the caller reads the objects.
 */
import type { Lock, LockEntry } from "./lock.js";
import { isSameOrInside, normalizeRepoPath } from "./repo-path.js";

export type LockLocation =
  | { kind: "object"; hash: string }
  | { kind: "in-folder"; folderHash: string; inside: string };

export function locateInLock(lock: Lock, path: string): LockLocation | undefined {
  const file = normalizeRepoPath(path);
  const stages = Object.values(lock.stages);
  const stored = (e: LockEntry) => e.cache !== false;
  for (const stage of stages) {
    const own = [...stage.metrics, ...stage.plots, ...stage.outs.filter(stored)].find(
      (e) => e.path === file && e.files === undefined,
    );
    if (own) return { kind: "object", hash: own.hash };
  }
  for (const stage of stages) {
    const folder = stage.outs.find(
      (e) => stored(e) && e.files !== undefined && e.path !== file && isSameOrInside(file, e.path),
    );
    if (folder)
      return { kind: "in-folder", folderHash: folder.hash, inside: file.slice(folder.path.length + 1) };
  }
  return undefined;
}
