/**
 * `trainyard fsck`: verify the local store. Every object is hashed and compared with its name;
 * every object a gc root needs (pointers, lock outs, HEAD, registered versions) must be present.
 * With `repair`, corrupt objects are moved aside to `<store>/corrupt/` (never silently deleted)
 * and whatever the working tree still holds with the right content is stored again.
 */
import { existsSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { parseManifest } from "../../core/manifest.js";
import { type Oid, oidHex } from "../../core/oid.js";
import type { Pointer } from "../../core/pointer.js";
import type { Repo } from "../git/index.js";
import { hashFile } from "../hashing/index.js";
import type { Progress } from "../progress.js";
import type { DataRoot } from "../store/index.js";
import { collectGcRoots, type LocalStore } from "../store/index.js";
import { type DataContext, withDataContext } from "./data-context.js";
import { repairTrackedObjects } from "./repair-objects.js";

export interface FsckProblem {
  oid: Oid;
  problem: "corrupt" | "missing";
  /** Who needs it (a pointer, `trainyard.lock:<stage>`, a commit), or where it was found. */
  where: string;
  repaired: boolean;
}

export interface FsckResult {
  objects: number;
  problems: FsckProblem[];
}

async function corruptObjects(ctx: DataContext): Promise<Oid[]> {
  const corrupt: Oid[] = [];
  const all = await ctx.store.list();
  ctx.progress?.start(all.length, "verifying objects");
  for (const oid of all) {
    const { oid: actual } = await hashFile(ctx.store.objectPath(oid));
    if (actual !== oid) corrupt.push(oid);
    ctx.progress?.advance(1);
  }
  ctx.progress?.stop();
  return corrupt;
}

/** Objects the roots need that the store lacks (a folder's files only when its manifest is there). */
async function missingObjects(store: LocalStore, roots: readonly DataRoot[]): Promise<Map<Oid, string>> {
  const missing = new Map<Oid, string>();
  for (const root of roots) {
    if (root.optional) continue;
    if (!store.has(root.oid)) {
      missing.set(root.oid, `${root.path} (${root.source})`);
      continue;
    }
    if (!root.directory) continue;
    const text = (await store.readVerified(root.oid).catch(() => undefined))?.toString("utf8");
    for (const e of text ? parseManifest(text, root.source) : []) {
      if (!store.has(e.hash)) missing.set(e.hash, `${root.path}/${e.path} (${root.source})`);
    }
  }
  return missing;
}

/** Working-tree data a root names, as something repairTrackedObjects can store from. */
function trackedFromRoot(repo: Repo, root: DataRoot) {
  const pointer: Pointer = {
    path: root.path,
    hash: root.oid,
    size: root.size,
    ...(root.directory ? { files: 0 } : {}),
  };
  return { pointerFile: root.source, dataPath: root.path, dataAbs: join(repo.root, root.path), pointer };
}

export async function fsckLocal(
  repo: Repo,
  options: { repair?: boolean; progress?: Progress } = {},
): Promise<FsckResult> {
  return withDataContext(repo, options.progress ? { progress: options.progress } : {}, async (ctx) => {
    const objects = (await ctx.store.list()).length;
    const problems: FsckProblem[] = [];
    for (const oid of await corruptObjects(ctx)) {
      const problem: FsckProblem = {
        oid,
        problem: "corrupt",
        where: ctx.store.objectPath(oid),
        repaired: false,
      };
      if (options.repair) {
        const aside = join(repo.storeDir, "corrupt");
        await mkdir(aside, { recursive: true });
        await rename(ctx.store.objectPath(oid), join(aside, oidHex(oid)));
      }
      problems.push(problem);
    }
    const roots = await collectGcRoots(repo);
    const missing = await missingObjects(ctx.store, roots);
    for (const [oid, where] of missing) {
      if (!problems.some((p) => p.oid === oid))
        problems.push({ oid, problem: "missing", where, repaired: false });
    }
    if (options.repair && problems.length > 0) {
      // Only data in the working tree can be stored again; history needs a remote (fetch).
      const here = roots.filter((r) => !r.optional && !/^[0-9a-f]{12}:/.test(r.source));
      for (const root of here) {
        if (existsSync(join(repo.root, root.path)))
          await repairTrackedObjects(ctx, trackedFromRoot(repo, root));
      }
      for (const p of problems) p.repaired = ctx.store.has(p.oid);
    }
    return { objects, problems };
  });
}
