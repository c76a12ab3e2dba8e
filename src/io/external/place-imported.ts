/**
 * The last step every import shares: verified bytes waiting in a temp file (or folder) under
 * `.trainyard/tmp/` become the tracked data. The content goes into the local store first, then
 * the data is renamed into place, then its `.ty` pointer (with its `source:`) is written, the data
 * git-ignored and the pointer staged. Target paths are checked before any byte is downloaded.
 */
import { lstatSync } from "node:fs";
import { chmod, mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import type { Oid } from "../../core/oid.js";
import { DEFAULT_FILE_MODE, type Pointer, pointerPathFor, serializePointer } from "../../core/pointer.js";
import type { PointerSource } from "../../core/pointer-source.js";
import { unsafePathReason } from "../../core/safe-path.js";
import type { DataContext } from "../data/index.js";
import { addGitIgnoreEntry, writeFileAtomic } from "../fs/index.js";
import { mustGit, type Repo } from "../git/index.js";
import { hashTree } from "../hashing/index.js";
import { assertDataPathInside, toRepoPath } from "../store/index.js";

export interface ImportTarget {
  abs: string;
  /** Repository-relative path of the data. */
  path: string;
  pointerFile: string;
}

/**
 * Where an import may write: a relative path without `..` (as typed), inside the repository, not a
 * pointer, not through a symbolic link. Checked before downloading anything.
 */
export function checkImportTarget(repo: Repo, cwd: string, given: string): ImportTarget {
  const why = unsafePathReason(given.replace(/\/+$/, ""));
  if (why) {
    throw new TrainyardError(
      "path",
      `target ${JSON.stringify(given)} ${why}; expected a relative path inside the repository`,
    );
  }
  if (given.endsWith(".ty"))
    throw new TrainyardError("usage", `${given} is a pointer file; name the data path`);
  const abs = resolve(cwd, given);
  const path = toRepoPath(repo, abs);
  if (path === "" || path === ".." || path.startsWith("../")) {
    throw new TrainyardError("path", `target ${given} is not inside the repository ${repo.root}`);
  }
  assertDataPathInside(repo, abs, given);
  return { abs, path, pointerFile: toRepoPath(repo, pointerPathFor(abs)) };
}

/** Refuse to replace data that this import did not bring (unless `force`). */
export function assertReplaceable(target: ImportTarget, previous: Pointer | undefined, force: boolean): void {
  const st = lstatSync(target.abs, { throwIfNoEntry: false });
  if (!st || force || previous?.source) return;
  throw new TrainyardError(
    "usage",
    `${target.path} already exists${previous ? " and is tracked by a plain pointer" : ""}; remove it, choose another path, or pass --force`,
  );
}

export interface PlacedData {
  pointer: Pointer;
  pointerFile: string;
  staged: string[];
}

/** Move `temp` (a verified file or folder with content `expected`) into place and record it. */
export async function placeImported(
  ctx: DataContext,
  target: ImportTarget,
  temp: string,
  expected: { oid: string; size: number; directory: boolean },
  source: PointerSource,
): Promise<PlacedData> {
  let pointer: Pointer;
  if (expected.directory) {
    const tree = await hashTree(temp, {
      cache: ctx.cache,
      cacheKey: target.path,
      pool: ctx.pool,
      store: ctx.store,
    });
    if (tree.oid !== expected.oid) {
      throw new TrainyardError(
        "corrupt",
        `${target.path}: the imported folder hashes to ${tree.oid}, not ${expected.oid}; nothing was written`,
      );
    }
    pointer = { path: basename(target.abs), hash: tree.oid, size: tree.size, files: tree.fileCount, source };
  } else {
    await ctx.store.putFile(temp, expected.oid as Oid);
    await chmod(temp, DEFAULT_FILE_MODE);
    pointer = { path: basename(target.abs), hash: expected.oid as Oid, size: expected.size, source };
  }
  ctx.guard.check(target.abs);
  await mkdir(dirname(target.abs), { recursive: true });
  await rm(target.abs, { recursive: true, force: true });
  await rename(temp, target.abs);
  const pointerAbs = join(ctx.repo.root, target.pointerFile);
  await writeFileAtomic(ctx.guard.check(pointerAbs), serializePointer(pointer));
  const toStage = [target.pointerFile];
  if (await addGitIgnoreEntry(ctx.guard, dirname(target.abs), basename(target.abs)))
    toStage.push(toRepoPath(ctx.repo, join(dirname(target.abs), ".gitignore")));
  if (ctx.repo.isGit) await mustGit(ctx.repo.root, ["add", "--", ...toStage], "git add failed");
  return { pointer, pointerFile: target.pointerFile, staged: ctx.repo.isGit ? toStage : [] };
}
