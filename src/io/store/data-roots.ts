/**
 * Which objects a set of data roots needs: a file root is one object; a directory root is its
 * manifest object plus every file the manifest lists. Roots come from pointer files and from the
 * outs recorded in `trainyard.lock`.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LOCK_FILE, type Lock, parseLock, storedOuts } from "../../core/lock.js";
import { parseManifest } from "../../core/manifest.js";
import type { Oid } from "../../core/oid.js";
import { isDirectoryPointer, type Pointer } from "../../core/pointer.js";
import type { Repo } from "../git/index.js";
import { loadTrackedData, resolvePointerTargets, toRepoPath } from "./tracked-data.js";

export interface DataRoot {
  oid: Oid;
  /** Bytes of the file, or of all files of a directory. */
  size: number;
  directory: boolean;
  /** Where the root was found, for messages: a pointer file or `trainyard.lock:<stage>`. */
  source: string;
  /** Repo-relative data path. */
  path: string;
  /**
   * Kept when present, but its absence is no error: a lock dep (often a plain file in git, never
   * stored) or a run record whose objects are gone. gc does not refuse over these.
   */
  optional?: boolean;
}

export function rootFromPointer(pointer: Pointer, source: string, path: string): DataRoot {
  return { oid: pointer.hash, size: pointer.size, directory: isDirectoryPointer(pointer), source, path };
}

export function rootsFromLock(lock: Lock, source = LOCK_FILE): DataRoot[] {
  return Object.entries(lock.stages).flatMap(([stage, entry]) =>
    storedOuts(entry).map((out) => ({
      oid: out.hash as Oid,
      size: out.size,
      directory: out.files !== undefined,
      source: `${source}:${stage}`,
      path: out.path,
    })),
  );
}

/** The deps recorded in a lock: tracked data a stage read, kept by gc when the store holds it. */
export function depRootsFromLock(lock: Lock, source = LOCK_FILE): DataRoot[] {
  return Object.entries(lock.stages).flatMap(([stage, entry]) =>
    entry.deps.map((dep) => ({
      oid: dep.hash as Oid,
      size: dep.size,
      directory: dep.files !== undefined,
      source: `${source}:${stage} (dep)`,
      path: dep.path,
      optional: true,
    })),
  );
}

/** The data roots of the working tree: the chosen pointers and, when present, the lock's outs. */
export function workingTreeRoots(repo: Repo, cwd: string, targets: readonly string[]): DataRoot[] {
  const roots = resolvePointerTargets(repo, cwd, targets).map((file) => {
    const tracked = loadTrackedData(repo, file);
    return rootFromPointer(tracked.pointer, tracked.pointerFile, tracked.dataPath);
  });
  const lockFile = join(repo.root, LOCK_FILE);
  if (existsSync(lockFile)) {
    const wanted = targets.map((t) => toRepoPath(repo, resolve(cwd, t)).replace(/\.ty$/, ""));
    const inside = (path: string) =>
      wanted.length === 0 || wanted.some((w) => w === "" || path === w || path.startsWith(`${w}/`));
    roots.push(
      ...rootsFromLock(parseLock(readFileSync(lockFile, "utf8"), LOCK_FILE)).filter((r) => inside(r.path)),
    );
  }
  return roots;
}

/**
 * Every object the roots need. `readManifest` returns a directory's manifest bytes (verified),
 * from the local store or a remote.
 */
export async function expandRoots(
  roots: readonly DataRoot[],
  readManifest: (oid: Oid, root: DataRoot) => Promise<Buffer>,
): Promise<{ oid: Oid; size: number }[]> {
  const objects: { oid: Oid; size: number }[] = [];
  const seenManifests = new Set<Oid>();
  for (const root of roots) {
    if (!root.directory) {
      objects.push({ oid: root.oid, size: root.size });
      continue;
    }
    if (seenManifests.has(root.oid)) continue;
    seenManifests.add(root.oid);
    const bytes = await readManifest(root.oid, root);
    objects.push({ oid: root.oid, size: bytes.length });
    for (const entry of parseManifest(bytes.toString("utf8"), `manifest ${root.oid} (${root.source})`)) {
      objects.push({ oid: entry.hash, size: entry.size });
    }
  }
  return objects;
}
