/**
 * `gc` for the local store: delete objects that no gc root references (see store/gc-roots.ts: the
 * working tree's pointers and lock, HEAD, registered versions, run records, and on request all
 * branches, tags or commits). It holds the store lock, so nothing another command is storing can go,
 * and it never deletes an object younger than the grace period (like git's `gc.pruneExpire`), so
 * an object stored by a command that does not share this lock (another clone on a shared store, an
 * older Trainyard) survives too. Stale temp files of interrupted writes go as well.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { TrainyardError, toError } from "../../core/errors.js";
import { parseManifest } from "../../core/manifest.js";
import type { Oid } from "../../core/oid.js";
import { removeQuietly } from "../fs/index.js";
import { LocalStore } from "./local-store.js";
import type { Repo } from "../git/index.js";
import { collectGcRoots, type GcRootOptions } from "./gc-roots.js";
import { withStoreLock } from "./store-lock.js";

export interface GcRoot {
  oid: Oid;
  /** The object is a folder manifest whose entries are referenced too. */
  directory: boolean;
  /** Its manifest may be missing or unreadable without refusing gc. */
  optional?: boolean;
}

export interface GcResult {
  dryRun: boolean;
  removed: number;
  removedBytes: number;
  kept: number;
  keptBytes: number;
  /** Unreferenced objects kept because they are younger than the grace period. */
  young: number;
  /** Temp files of interrupted writes that were (or would be) cleaned. */
  staleTemps: number;
  /** With dryRun: the objects that would go. */
  candidates?: { oid: Oid; size: number }[];
}

/** gc never deletes an object younger than this unless told otherwise. */
export const DEFAULT_GC_GRACE_MS = 60 * 60 * 1000;
/** Temp files younger than this may belong to a write in progress. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/** Every object reachable from the roots; a required manifest that cannot be read aborts (its files are unknown). */
export async function collectReferenced(store: LocalStore, roots: readonly GcRoot[]): Promise<Set<Oid>> {
  const referenced = new Set<Oid>();
  const expanded = new Set<Oid>();
  for (const root of roots) {
    referenced.add(root.oid);
    if (!root.directory || expanded.has(root.oid) || !store.has(root.oid)) continue;
    expanded.add(root.oid);
    let text: string;
    try {
      text = (await store.readVerified(root.oid)).toString("utf8");
    } catch (thrown) {
      if (root.optional) continue;
      throw new TrainyardError(
        "corrupt",
        `cannot read the manifest ${store.objectPath(root.oid)}, so the files it references are unknown; refusing to collect garbage (${toError(thrown).message}); "trainyard fsck --repair" can fix the store`,
      );
    }
    for (const entry of parseManifest(text, store.objectPath(root.oid))) referenced.add(entry.hash);
  }
  return referenced;
}

export interface GcLocalOptions extends GcRootOptions {
  dryRun?: boolean;
  extraRoots?: readonly GcRoot[];
  /** Objects modified less than this long ago are kept (default one hour). */
  graceMs?: number;
  now?: () => number;
}

export async function gcLocal(repo: Repo, options: GcLocalOptions = {}): Promise<GcResult> {
  return withStoreLock(repo.storeDir, () => gcLocked(repo, options));
}

async function gcLocked(repo: Repo, options: GcLocalOptions): Promise<GcResult> {
  const store = new LocalStore(repo.storeDir);
  const roots = [...(await collectGcRoots(repo, options)), ...(options.extraRoots ?? [])];
  const referenced = await collectReferenced(store, roots);
  const now = (options.now ?? Date.now)();
  const cutoff = now - (options.graceMs ?? DEFAULT_GC_GRACE_MS);
  const dryRun = options.dryRun ?? false;
  const result: GcResult = {
    dryRun,
    removed: 0,
    removedBytes: 0,
    kept: 0,
    keptBytes: 0,
    young: 0,
    staleTemps: 0,
    ...(dryRun ? { candidates: [] } : {}),
  };
  for (const oid of await store.list()) {
    const st = await stat(store.objectPath(oid)).catch(() => undefined);
    if (!st) continue;
    if (referenced.has(oid) || st.mtimeMs > cutoff) {
      if (!referenced.has(oid)) result.young++;
      result.kept++;
      result.keptBytes += st.size;
      continue;
    }
    result.removed++;
    result.removedBytes += st.size;
    if (dryRun) result.candidates?.push({ oid, size: st.size });
    else await store.delete(oid);
  }
  const temps = await readdir(store.tempDir).catch(() => [] as string[]);
  for (const name of temps) {
    const path = join(store.tempDir, name);
    const st = await stat(path).catch(() => undefined);
    if (!st || now - st.mtimeMs < STALE_TEMP_MS) continue;
    result.staleTemps++;
    if (!dryRun) await removeQuietly(path);
  }
  return result;
}
