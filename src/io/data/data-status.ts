/**
 * `status` for versioned data: for each pointer, is the working copy clean, changed or missing, and
 * exactly which files were added, deleted or modified. Returned as data so the CLI (and the pipeline
 * part of `status`) can render it.
 */
import { lstatSync } from "node:fs";
import { diffManifests, type ManifestEntry, parseManifest } from "../../core/manifest.js";
import { isDirectoryPointer } from "../../core/pointer.js";
import type { Oid } from "../../core/oid.js";
import { type DataContext, withDataContext } from "./data-context.js";
import { hashFile, hashTree, statFile } from "../hashing/index.js";
import type { Progress } from "../progress.js";
import type { Repo } from "../git/index.js";
import { loadTrackedData, resolvePointerTargets, type TrackedData } from "../store/index.js";
import { repairTrackedObjects } from "./repair-objects.js";
import { CompletenessMarks } from "./store-completeness.js";

export type DataState = "clean" | "changed" | "missing";

export interface DataStatusEntry {
  pointer: string;
  path: string;
  kind: "file" | "directory";
  state: DataState;
  /** Repo-relative paths. */
  added: string[];
  deleted: string[];
  modified: string[];
  /** Extra explanation, e.g. when the old manifest is not in the local store. */
  note?: string;
}

export interface DataStatus {
  clean: boolean;
  entries: DataStatusEntry[];
  /** Objects missing from the store that were stored again from matching data (self-repair). */
  repaired: number;
  /** What the user should know that did not change the answer (e.g. the file-system monitor is off). */
  warnings?: string[];
}

export interface DataStatusOptions {
  cwd?: string;
  targets?: readonly string[];
  progress?: Progress;
  /** Every pointer file of the repository, when the caller listed them already (listPointerFiles). */
  pointerFiles?: readonly string[];
}

export async function collectDataStatus(repo: Repo, options: DataStatusOptions = {}): Promise<DataStatus> {
  const cwd = options.cwd ?? repo.root;
  // Without a listing from the caller, resolvePointerTargets lists the pointer files itself.
  const pointers = resolvePointerTargets(repo, cwd, options.targets ?? [], options.pointerFiles);
  // Nothing tracked: no store lock, no stat cache.
  if (pointers.length === 0) return { clean: true, entries: [], repaired: 0 };
  const contextOptions = { watchChanges: true, ...(options.progress ? { progress: options.progress } : {}) };
  return withDataContext(repo, contextOptions, async (ctx) => {
    const entries: DataStatusEntry[] = [];
    let repaired = 0;
    const marks = CompletenessMarks.load(ctx.store.root);
    for (const pointerFile of pointers) {
      const tracked = loadTrackedData(repo, pointerFile);
      const { entry } = await statusOfTracked(ctx, tracked);
      entries.push(entry);
      if (entry.state === "clean") repaired += await repairTrackedObjects(ctx, tracked, marks);
    }
    await marks.save();
    const clean = entries.every((e) => e.state === "clean");
    return { clean, entries, repaired, ...(ctx.warnings.length ? { warnings: ctx.warnings } : {}) };
  });
}

/** What the working copy holds now, for callers that act on the difference (checkout). */
export interface CurrentData {
  entry: DataStatusEntry;
  /** Current content id of a single file. */
  fileOid?: Oid;
  fileMode?: number;
  /** Current manifest of a folder (when it differs from the pointer). */
  entries?: ManifestEntry[];
  /** The data path exists but has the wrong type (a folder where a file is expected, or vice versa). */
  wrongType?: boolean;
}

/** `needEntries`: also return the folder's current manifest when it changed (checkout plans with it). */
export async function statusOfTracked(
  ctx: DataContext,
  tracked: TrackedData,
  needEntries = false,
): Promise<CurrentData> {
  const { pointer, dataPath, dataAbs } = tracked;
  const isDir = isDirectoryPointer(pointer);
  const entry: DataStatusEntry = {
    pointer: tracked.pointerFile,
    path: dataPath,
    kind: isDir ? "directory" : "file",
    state: "clean",
    added: [],
    deleted: [],
    modified: [],
  };
  const st = lstatSync(dataAbs, { throwIfNoEntry: false });
  if (!st) {
    entry.state = "missing";
    const old = isDir ? await readManifestIfPresent(ctx, pointer.hash) : undefined;
    entry.deleted = old ? old.map((e) => `${dataPath}/${e.path}`) : [dataPath];
    return { entry };
  }
  if (st.isDirectory() !== isDir) {
    entry.state = "changed";
    entry.modified = [dataPath];
    entry.note = isDir
      ? "a file is where the pointer expects a folder"
      : "a folder is where the pointer expects a file";
    return { entry, wrongType: true };
  }
  if (!isDir) {
    const stat = statFile(dataAbs, dataPath);
    let oid = ctx.cache.get(dataPath, stat);
    if (!oid) {
      const hashed = await hashFile(
        dataAbs,
        ctx.progress ? { onBytes: (n) => ctx.progress?.advance(n) } : {},
      );
      oid = hashed.oid;
      if (hashed.size === stat.size) ctx.cache.set(dataPath, stat, oid);
    }
    const mode = pointer.mode ?? 0o644;
    if (oid !== pointer.hash || stat.mode !== mode) {
      entry.state = "changed";
      entry.modified = [dataPath];
    }
    return { entry, fileOid: oid, fileMode: stat.mode };
  }
  const base = {
    cache: ctx.cache,
    cacheKey: dataPath,
    pool: ctx.pool,
    baseStore: ctx.store,
    expectedFiles: pointer.files ?? 0,
    ...(ctx.monitor ? { monitor: ctx.monitor } : {}),
    ...(ctx.progress ? { progress: ctx.progress } : {}),
  };
  const tree = await hashTree(dataAbs, base);
  if (tree.oid === pointer.hash) return { entry };
  entry.state = "changed";
  const prefix = (paths: readonly string[]) => paths.map((p) => `${dataPath}/${p}`);
  if (tree.changes?.base === pointer.hash && !needEntries) {
    entry.added = prefix(tree.changes.diff.added);
    entry.deleted = prefix(tree.changes.diff.deleted);
    entry.modified = prefix(tree.changes.diff.modified);
    return { entry };
  }
  const current = tree.entries ?? (await hashTree(dataAbs, { ...base, needEntries: true })).entries!;
  const old = await readManifestIfPresent(ctx, pointer.hash);
  if (old) {
    const diff = diffManifests(old, current);
    entry.added = prefix(diff.added);
    entry.deleted = prefix(diff.deleted);
    entry.modified = prefix(diff.modified);
  } else {
    entry.note =
      "the folder's previous manifest is not in the local store (pull it to list the changed files)";
  }
  return { entry, entries: current };
}

async function readManifestIfPresent(ctx: DataContext, oid: Oid): Promise<ManifestEntry[] | undefined> {
  if (!ctx.store.has(oid)) return undefined;
  return parseManifest((await ctx.store.readVerified(oid)).toString("utf8"), ctx.store.objectPath(oid));
}
