/**
 * `add`: put files or folders into the local store, write their `<path>.ty` pointers, keep the data
 * out of git (.gitignore) and stage the pointers in git.
 */
import { existsSync, lstatSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import type { Oid } from "../../core/oid.js";
import { isInsideDir } from "../../core/safe-path.js";
import { POINTER_SUFFIX, type Pointer, pointerPathFor, serializePointer } from "../../core/pointer.js";
import { addGitIgnoreEntry, writeFileAtomic } from "../fs/index.js";
import { mustGit, type Repo, STATE_GITIGNORE } from "../git/index.js";
import { hashTree, statFile } from "../hashing/index.js";
import type { Progress } from "../progress.js";
import { assertDataPathInside, findPointerFiles, loadTrackedData, toRepoPath } from "../store/index.js";
import { type DataContext, withDataContext } from "./data-context.js";
import { repairTrackedObjects } from "./repair-objects.js";

export interface AddedData {
  pointer: string;
  path: string;
  kind: "file" | "directory";
  hash: Oid;
  size: number;
  files?: number;
  /** The pointer already said exactly this. */
  unchanged: boolean;
}

export interface AddResult {
  added: AddedData[];
  /** Files staged with `git add` (empty outside git). */
  staged: string[];
}

export async function addData(
  repo: Repo,
  paths: readonly string[],
  options: { cwd?: string; progress?: Progress } = {},
): Promise<AddResult> {
  if (paths.length === 0)
    throw new TrainyardError("usage", "nothing to add: name at least one file or folder");
  const cwd = options.cwd ?? repo.root;
  const targets = paths.map((p) => checkTarget(repo, resolve(cwd, p), p));
  await ensureStateIgnored(repo);
  return withDataContext(repo, options, async (ctx) => {
    const added: AddedData[] = [];
    const toStage: string[] = [];
    // One durability barrier per target (before its pointer), not one fsync per object.
    ctx.store.startBatch();
    try {
      for (const abs of targets) {
        const { result, everyObjectChecked } = await addOne(ctx, abs);
        // The stat cache may say "unchanged" for data whose objects left the store: put them back.
        // Not needed when this add looked at (or stored) every object itself: 20,000 files cost
        // 20,000 existence checks and a manifest parse for nothing.
        if (!everyObjectChecked) await repairTrackedObjects(ctx, loadTrackedData(repo, result.pointer));
        await ctx.store.flushBatch();
        added.push(result);
        toStage.push(result.pointer);
        if (await addGitIgnoreEntry(ctx.guard, dirname(abs), basename(abs)))
          toStage.push(toRepoPath(repo, join(dirname(abs), ".gitignore")));
      }
    } finally {
      await ctx.store.endBatch();
    }
    const staged = repo.isGit ? await stage(repo, toStage) : [];
    return { added, staged };
  });
}

function checkTarget(repo: Repo, abs: string, given: string): string {
  const rel = toRepoPath(repo, abs);
  if (rel === "" || rel.startsWith("../") || rel === "..") {
    throw new TrainyardError("path", `${given} is not inside the repository ${repo.root}`);
  }
  if (rel.endsWith(POINTER_SUFFIX))
    throw new TrainyardError("usage", `${given} is a pointer file; add the data it names instead`);
  // Neither a pointer's `path:` nor a .gitignore line can hold one: the entry would split, and its
  // second half ignore whatever else carries that name.
  if (/[\r\n]/.test(rel))
    throw new TrainyardError(
      "path",
      `${JSON.stringify(given)} holds a line break: rename it before adding it`,
    );
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (!st) throw new TrainyardError("missing", `${given} does not exist`);
  if (!st.isFile() && !st.isDirectory()) {
    throw new TrainyardError(
      "path",
      `${given} is not a regular file or folder (symbolic links are not followed)`,
    );
  }
  assertDataPathInside(repo, abs, given);
  // TRAINYARD_STORE may name a folder inside the repository: tracked as data, every object stored
  // would show up as a change to it (and the store inside its own data is not a backup).
  const store = resolve(repo.storeDir);
  if (isInsideDir(abs, store) || isInsideDir(store, abs)) {
    throw new TrainyardError(
      "path",
      `${given} ${isInsideDir(abs, store) ? "holds" : "is inside"} the local store ${repo.storeDir}: set TRAINYARD_STORE to a folder outside the data you version`,
    );
  }
  for (const pointerFile of findPointerFiles(repo)) {
    const tracked = loadTrackedData(repo, pointerFile);
    if (rel.startsWith(`${tracked.dataPath}/`)) {
      throw new TrainyardError(
        "usage",
        `${given} is inside ${tracked.dataPath}, which ${pointerFile} already tracks; add ${tracked.dataPath} again instead`,
      );
    }
    if (tracked.dataPath.startsWith(`${rel}/`)) {
      throw new TrainyardError(
        "usage",
        `${given} contains ${tracked.dataPath}, which ${pointerFile} already tracks; remove that pointer first`,
      );
    }
  }
  return abs;
}

/**
 * `everyObjectChecked`: every object the pointer names was found in the store or stored by this
 * call (a single file always; a folder when its manifest was built file by file, not answered
 * from a whole-folder or per-segment record of the stat cache).
 */
async function addOne(
  ctx: DataContext,
  abs: string,
): Promise<{ result: AddedData; everyObjectChecked: boolean }> {
  const rel = toRepoPath(ctx.repo, abs);
  const pointerAbs = pointerPathFor(abs);
  const previous = readIfExists(pointerAbs);
  let pointer: Pointer;
  let everyObjectChecked = true;
  if (lstatSync(abs).isDirectory()) {
    const tree = await hashTree(abs, {
      cache: ctx.cache,
      cacheKey: rel,
      pool: ctx.pool,
      store: ctx.store,
      expectedFiles: expectedFilesFrom(previous),
      ...(ctx.progress ? { progress: ctx.progress } : {}),
    });
    pointer = { path: basename(abs), hash: tree.oid, size: tree.size, files: tree.fileCount };
    everyObjectChecked = tree.entries !== undefined;
  } else {
    const stat = statFile(abs, rel);
    let oid = ctx.cache.get(rel, stat);
    if (!oid || !ctx.store.has(oid)) {
      ctx.progress?.start(stat.size, `adding ${rel}`);
      try {
        const stored = await ctx.store.putFile(abs, undefined, (n) => ctx.progress?.advance(n));
        oid = stored.oid;
      } finally {
        ctx.progress?.stop();
      }
      const after = statFile(abs, rel);
      if (after.size !== stat.size || after.mtimeNs !== stat.mtimeNs) {
        throw new TrainyardError("io", `${rel} changed while it was being added; retry once it is stable`);
      }
      ctx.cache.set(rel, stat, oid);
    }
    pointer = { path: basename(abs), hash: oid, size: stat.size, mode: stat.mode };
  }
  const text = serializePointer(pointer);
  const unchanged = previous === text;
  await ctx.store.flushBatch();
  if (!unchanged) await writeFileAtomic(ctx.guard.check(pointerAbs), text);
  const result: AddedData = {
    pointer: toRepoPath(ctx.repo, pointerAbs),
    path: rel,
    kind: pointer.files === undefined ? "file" : "directory",
    hash: pointer.hash,
    size: pointer.size,
    ...(pointer.files === undefined ? {} : { files: pointer.files }),
    unchanged,
  };
  return { result, everyObjectChecked };
}

/** Without `trainyard init`, the store under .trainyard/ must still never be committed by accident. */
async function ensureStateIgnored(repo: Repo): Promise<void> {
  const file = join(repo.stateDir, ".gitignore");
  if (existsSync(file)) return;
  await mkdir(repo.stateDir, { recursive: true });
  await writeFileAtomic(file, STATE_GITIGNORE);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function expectedFilesFrom(previousPointer: string | undefined): number {
  const match = previousPointer ? /^files: (\d+)$/m.exec(previousPointer) : null;
  return match ? Number(match[1]) : 0;
}

async function stage(repo: Repo, files: readonly string[]): Promise<string[]> {
  if (files.length === 0) return [];
  await mustGit(repo.root, ["add", "--", ...files], `git add failed for ${files.join(", ")}`);
  return [...files];
}
