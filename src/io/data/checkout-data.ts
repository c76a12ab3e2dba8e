/**
 * `checkout`: make the working copy match the pointers. Every object is verified before anything
 * is replaced: files are first copied to temp files next to their destination and checked, and only
 * when all of them are good are they renamed into place. Local changes that exist nowhere else (their
 * content is not in the store) are never overwritten without `force`.
 */
import { chmod, mkdir, rename, rm, rmdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { type ManifestEntry, parseManifest } from "../../core/manifest.js";
import { shortOid } from "../../core/oid.js";
import { DEFAULT_FILE_MODE, isDirectoryPointer } from "../../core/pointer.js";
import { newRepoTempPath, toIoError } from "../fs/index.js";
import { type DataContext, withDataContext } from "./data-context.js";
import { type CurrentData, statusOfTracked } from "./data-status.js";
import type { Progress } from "../progress.js";
import { corruptObject, loadTrackedData, resolvePointerTargets, type TrackedData } from "../store/index.js";
import type { Repo } from "../git/index.js";
import { statFile } from "../hashing/index.js";

export interface CheckedOut {
  pointer: string;
  path: string;
  action: "unchanged" | "restored";
  /** Files written and removed (repo-relative). */
  written: number;
  removed: number;
}

export interface CheckoutOptions {
  cwd?: string;
  targets?: readonly string[];
  force?: boolean;
  progress?: Progress;
}

export async function checkoutData(repo: Repo, options: CheckoutOptions = {}): Promise<CheckedOut[]> {
  const pointers = resolvePointerTargets(repo, options.cwd ?? repo.root, options.targets ?? []);
  return withDataContext(repo, options, async (ctx) => {
    const tracked = pointers.map((p) => loadTrackedData(repo, p));
    // Look at everything first, so a refusal leaves every path untouched.
    const plans: { tracked: TrackedData; current: CurrentData }[] = [];
    for (const t of tracked) {
      const current = await statusOfTracked(ctx, t, true);
      if (current.entry.state !== "clean" && !options.force) assertNothingLost(ctx, t, current);
      plans.push({ tracked: t, current });
    }
    const results: CheckedOut[] = [];
    for (const { tracked: t, current } of plans) {
      if (current.entry.state === "clean") {
        results.push({
          pointer: t.pointerFile,
          path: t.dataPath,
          action: "unchanged",
          written: 0,
          removed: 0,
        });
        continue;
      }
      results.push(await restore(ctx, t, current));
    }
    return results;
  });
}

/** Refuse when a changed file's current content is not in the store (it would be lost). */
function assertNothingLost(ctx: DataContext, t: TrackedData, current: CurrentData): void {
  const { entry } = current;
  const unsaved: string[] = [];
  if (current.wrongType) unsaved.push(t.dataPath);
  else if (entry.kind === "file") {
    if (entry.state === "changed" && current.fileOid && !ctx.store.has(current.fileOid))
      unsaved.push(t.dataPath);
  } else if (current.entries) {
    const byPath = new Map(current.entries.map((e) => [`${t.dataPath}/${e.path}`, e]));
    for (const p of [...entry.added, ...entry.modified]) {
      const e = byPath.get(p);
      if (e && !ctx.store.has(e.hash)) unsaved.push(p);
    }
  }
  if (unsaved.length > 0) {
    const shown =
      unsaved.slice(0, 5).join(", ") + (unsaved.length > 5 ? ` and ${unsaved.length - 5} more` : "");
    throw new TrainyardError(
      "usage",
      `${t.dataPath} has local changes that are not saved anywhere (${shown}); run "trainyard add ${t.dataPath}" to keep them, or checkout --force to discard them`,
    );
  }
}

async function restore(ctx: DataContext, t: TrackedData, current: CurrentData): Promise<CheckedOut> {
  const { pointer } = t;
  ctx.guard.check(t.dataAbs, "check out");
  if (current.wrongType) await rm(t.dataAbs, { recursive: true, force: true });
  if (!isDirectoryPointer(pointer)) {
    if (!ctx.store.has(pointer.hash)) throw missingObject(ctx, pointer.hash, t.dataPath);
    await ctx.store.materialize(pointer.hash, t.dataAbs, { mode: pointer.mode ?? DEFAULT_FILE_MODE });
    ctx.cache.set(t.dataPath, statFile(t.dataAbs, t.dataPath), pointer.hash);
    return { pointer: t.pointerFile, path: t.dataPath, action: "restored", written: 1, removed: 0 };
  }
  if (!ctx.store.has(pointer.hash)) throw missingObject(ctx, pointer.hash, t.dataPath);
  const manifest = parseManifest(
    (await ctx.store.readVerified(pointer.hash)).toString("utf8"),
    ctx.store.objectPath(pointer.hash),
  );
  const have = new Map((current.entries ?? []).map((e) => [e.path, e]));
  const want = new Set(manifest.map((e) => e.path));
  const toWrite: ManifestEntry[] = [];
  const toChmod: ManifestEntry[] = [];
  for (const e of manifest) {
    const now = have.get(e.path);
    if (now && now.hash === e.hash) {
      if (now.mode !== e.mode) toChmod.push(e);
    } else toWrite.push(e);
  }
  const toRemove = [...have.keys()].filter((p) => !want.has(p));
  for (const e of toWrite)
    if (!ctx.store.has(e.hash)) throw missingObject(ctx, e.hash, `${t.dataPath}/${e.path}`);
  for (const p of [...toWrite.map((e) => e.path), ...toChmod.map((e) => e.path), ...toRemove])
    ctx.guard.check(join(t.dataAbs, p), "check out");

  // Phase 1: copy and verify every object into a staging folder under .trainyard/tmp/ (a crash
  // leaves it there, where the next command removes it, never in the working tree).
  const staging = await newRepoTempPath(ctx.repo, "checkout");
  await mkdir(staging, { recursive: true });
  try {
    const jobs = toWrite.map((e, i) => ({
      src: ctx.store.objectPath(e.hash),
      tmp: join(staging, String(i)),
      sync: false,
    }));
    ctx.progress?.start(jobs.length, `checking out ${t.dataPath}`);
    const results = await ctx.pool.hash(jobs, (n) => ctx.progress?.advance(n));
    ctx.progress?.stop();
    for (const [i, r] of results.entries()) {
      const e = toWrite[i]!;
      if ("error" in r)
        throw toIoError(
          Object.assign(new Error(r.error.message), r.error),
          "check out",
          `${t.dataPath}/${e.path}`,
        );
      if (`sha256:${r.hex}` !== e.hash) throw corruptObject(ctx.store.objectPath(e.hash), e.hash, r.hex);
    }
    // Phase 2: all good — replace.
    for (const p of toRemove) await rm(join(t.dataAbs, p), { force: true });
    await removeEmptyParents(t.dataAbs, toRemove);
    const made = new Set<string>();
    for (const [i, e] of toWrite.entries()) {
      const dest = join(t.dataAbs, e.path);
      const dir = dirname(dest);
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      const staged = join(staging, String(i));
      await chmod(staged, e.mode);
      await rename(staged, dest);
      ctx.cache.set(`${t.dataPath}/${e.path}`, statFile(dest, e.path), e.hash);
    }
    for (const e of toChmod) await chmod(join(t.dataAbs, e.path), e.mode);
  } catch (thrown) {
    throw toIoError(thrown, "check out", t.dataPath);
  } finally {
    ctx.progress?.stop();
    await rm(staging, { recursive: true, force: true });
  }
  await mkdir(t.dataAbs, { recursive: true });
  return {
    pointer: t.pointerFile,
    path: t.dataPath,
    action: "restored",
    written: toWrite.length,
    removed: toRemove.length,
  };
}

async function removeEmptyParents(root: string, removed: readonly string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const p of removed) for (let d = dirname(p); d !== "."; d = dirname(d)) dirs.add(d);
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    await rmdir(join(root, d)).catch(() => undefined); // not empty: keep it
  }
}

function missingObject(ctx: DataContext, oid: `sha256:${string}`, what: string): TrainyardError {
  return new TrainyardError(
    "missing",
    `cannot check out ${what}: object ${shortOid(oid)} is not in the local store (${ctx.store.objectPath(oid)}); pull it from a remote first`,
  );
}
