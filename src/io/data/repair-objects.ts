/**
 * Self-repair: when an object a pointer names (or a file of its folder) is missing from the local
 * store but the data in the working tree still has exactly that content, store it again. `add` and
 * `status` call this, so a store damaged by an old gc, a crash or a hand-deleted file heals as soon
 * as someone looks, instead of failing later at checkout. Content is verified by `putFile`: data
 * that changed since it was added is never stored under the old id.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { type ManifestEntry, parseManifest, serializeManifest } from "../../core/manifest.js";
import type { Oid } from "../../core/oid.js";
import { isDirectoryPointer } from "../../core/pointer.js";
import { hashTree } from "../hashing/index.js";
import type { TrackedData } from "../store/index.js";
import type { DataContext } from "./data-context.js";
import type { CompletenessMarks } from "./store-completeness.js";

async function restoreFrom(ctx: Pick<DataContext, "store">, path: string, oid: Oid): Promise<boolean> {
  if (!existsSync(path)) return false;
  try {
    await ctx.store.putFile(path, oid);
    return true;
  } catch (thrown) {
    // The data no longer has that content: nothing to repair from here.
    if (thrown instanceof TrainyardError && thrown.code === "corrupt") return false;
    throw thrown;
  }
}

/**
 * Re-store what `tracked` names and the store lacks; returns how many objects came back. With
 * `marks` (status), a folder whose objects were all present and whose store shards did not change
 * since is not checked again object by object.
 */
export async function repairTrackedObjects(
  ctx: DataContext,
  tracked: TrackedData,
  marks?: CompletenessMarks,
): Promise<number> {
  const { pointer, dataAbs } = tracked;
  if (!isDirectoryPointer(pointer)) {
    if (ctx.store.has(pointer.hash)) return 0;
    return (await restoreFrom(ctx, dataAbs, pointer.hash)) ? 1 : 0;
  }
  if (marks?.isComplete(pointer.hash)) return 0;
  const repaired = await repairFolder(ctx, tracked);
  if (repaired > 0) marks?.forgetShards();
  else marks?.markComplete(pointer.hash);
  return repaired;
}

async function repairFolder(ctx: DataContext, tracked: TrackedData): Promise<number> {
  const { pointer, dataAbs } = tracked;
  let manifest: readonly ManifestEntry[];
  if (ctx.store.has(pointer.hash)) {
    manifest = parseManifest(
      (await ctx.store.readVerified(pointer.hash)).toString("utf8"),
      ctx.store.objectPath(pointer.hash),
    );
  } else {
    if (!existsSync(dataAbs)) return 0;
    // Hash the folder (stat-cached); only when it is still the same folder can its manifest return.
    const tree = await hashTree(dataAbs, {
      cache: ctx.cache,
      cacheKey: tracked.dataPath,
      pool: ctx.pool,
      needEntries: true,
    });
    if (tree.oid !== pointer.hash || !tree.entries) return 0;
    manifest = tree.entries;
  }
  let repaired = 0;
  for (const e of manifest) {
    if (!ctx.store.has(e.hash) && (await restoreFrom(ctx, join(dataAbs, e.path), e.hash))) repaired++;
  }
  if (!ctx.store.has(pointer.hash)) {
    await ctx.store.putBytes(Buffer.from(serializeManifest(manifest)));
    repaired++;
  }
  return repaired;
}
