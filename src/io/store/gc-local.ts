/**
 * `gc` for the local store: delete objects that no pointer in the working tree references (a
 * folder's pointer keeps its manifest and every file in it). Callers may add more roots (for
 * example the outs recorded in `trainyard.lock`). Stale temp files of interrupted writes go too.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { parseManifest } from "../../core/manifest.js";
import type { Oid } from "../../core/oid.js";
import { isDirectoryPointer } from "../../core/pointer.js";
import { removeQuietly } from "../fs/index.js";
import { LocalStore } from "./local-store.js";
import type { Repo } from "../git/index.js";
import { findPointerFiles, loadTrackedData } from "./tracked-data.js";

export interface GcRoot {
  oid: Oid;
  /** The object is a folder manifest whose entries are referenced too. */
  directory: boolean;
}

export interface GcResult {
  dryRun: boolean;
  removed: number;
  removedBytes: number;
  kept: number;
  keptBytes: number;
  /** Temp files of interrupted writes that were (or would be) cleaned. */
  staleTemps: number;
}

/** Temp files younger than this may belong to a write in progress. */
const STALE_TEMP_MS = 60 * 60 * 1000;

export function pointerRoots(repo: Repo): GcRoot[] {
  return findPointerFiles(repo).map((p) => {
    const { pointer } = loadTrackedData(repo, p);
    return { oid: pointer.hash, directory: isDirectoryPointer(pointer) };
  });
}

/** Every object reachable from the roots; a missing or corrupt manifest aborts (its files are unknown). */
export async function collectReferenced(store: LocalStore, roots: readonly GcRoot[]): Promise<Set<Oid>> {
  const referenced = new Set<Oid>();
  for (const root of roots) {
    referenced.add(root.oid);
    if (!root.directory || !store.has(root.oid)) continue;
    let text: string;
    try {
      text = (await store.readVerified(root.oid)).toString("utf8");
    } catch (thrown) {
      throw new TrainyardError(
        "corrupt",
        `cannot read the manifest ${store.objectPath(root.oid)}, so the files it references are unknown; refusing to collect garbage (${(thrown as Error).message})`,
      );
    }
    for (const entry of parseManifest(text, store.objectPath(root.oid))) referenced.add(entry.hash);
  }
  return referenced;
}

export async function gcLocal(
  repo: Repo,
  options: { dryRun?: boolean; extraRoots?: readonly GcRoot[]; now?: () => number } = {},
): Promise<GcResult> {
  const store = new LocalStore(repo.storeDir);
  const referenced = await collectReferenced(store, [...pointerRoots(repo), ...(options.extraRoots ?? [])]);
  const result: GcResult = {
    dryRun: options.dryRun ?? false,
    removed: 0,
    removedBytes: 0,
    kept: 0,
    keptBytes: 0,
    staleTemps: 0,
  };
  for (const oid of await store.list()) {
    const size = await store.sizeOf(oid);
    if (referenced.has(oid)) {
      result.kept++;
      result.keptBytes += size;
      continue;
    }
    result.removed++;
    result.removedBytes += size;
    if (!result.dryRun) await store.delete(oid);
  }
  const now = (options.now ?? Date.now)();
  const temps = await readdir(store.tempDir).catch(() => [] as string[]);
  for (const name of temps) {
    const path = join(store.tempDir, name);
    const st = await stat(path).catch(() => undefined);
    if (!st || now - st.mtimeMs < STALE_TEMP_MS) continue;
    result.staleTemps++;
    if (!result.dryRun) await removeQuietly(path);
  }
  return result;
}
