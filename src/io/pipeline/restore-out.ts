/**
 * Put a stage out back from the store (run-cache hit): a file is materialised (verified, atomic
 * rename); a folder is rebuilt from its manifest in a staging folder beside it, every object
 * verified, and swapped in only when complete, so a failure never leaves a half-restored out.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { LockEntry } from "../../core/lock.js";
import { parseManifest } from "../../core/manifest.js";
import { tempPathFor, toIoError } from "../fs/index.js";
import { type DataContext, withDataContext } from "../data/index.js";
import type { Repo } from "../git/index.js";
import { TrainyardError } from "../../core/errors.js";
import { readLockFile } from "./lock-file.js";
import { statFile } from "../hashing/index.js";

export async function restoreOut(
  ctx: Pick<DataContext, "repo" | "store" | "cache">,
  out: LockEntry,
): Promise<void> {
  const abs = join(ctx.repo.root, out.path);
  const hash = out.hash as `sha256:${string}`;
  if (out.files === undefined) {
    await rm(abs, { recursive: true, force: true });
    await ctx.store.materialize(hash, abs);
    ctx.cache.set(out.path, statFile(abs, out.path), hash);
    return;
  }
  const manifest = parseManifest(
    (await ctx.store.readVerified(hash)).toString("utf8"),
    ctx.store.objectPath(hash),
  );
  const staging = tempPathFor(abs);
  try {
    await mkdir(staging, { recursive: true });
    for (const e of manifest) {
      const dest = join(staging, e.path);
      await mkdir(dirname(dest), { recursive: true });
      await ctx.store.materialize(e.hash, dest, { mode: e.mode });
    }
    await rm(abs, { recursive: true, force: true });
    await mkdir(dirname(abs), { recursive: true });
    await rename(staging, abs);
    await chmod(abs, 0o755);
  } catch (thrown) {
    await rm(staging, { recursive: true, force: true });
    throw toIoError(thrown, "restore", out.path);
  }
  for (const e of manifest) {
    const rel = `${out.path}/${e.path}`;
    ctx.cache.set(rel, statFile(join(abs, e.path), e.path), e.hash);
  }
}

/**
 * Put the stage outs recorded in trainyard.lock back from the local store, verified: after
 * checking out a registered commit (every out) or after `trainyard pull` (the outs asked for,
 * and by default only those missing from the working copy, so local changes are left alone).
 * An object missing from the store is reported with the hint to pull it first.
 */
export async function restoreLockOutputs(
  repo: Repo,
  options: { paths?: ReadonlySet<string>; onlyMissing?: boolean } = {},
): Promise<string[]> {
  const lock = await readLockFile(repo.root);
  return withDataContext(repo, {}, async (ctx) => {
    const restored: string[] = [];
    for (const stage of Object.values(lock.stages)) {
      for (const out of stage.outs) {
        if (options.paths && !options.paths.has(out.path)) continue;
        if (options.onlyMissing && existsSync(join(repo.root, out.path))) continue;
        if (!ctx.store.has(out.hash as `sha256:${string}`)) {
          throw new TrainyardError(
            "missing",
            `${out.path} (${out.hash.slice(0, 19)}…) is not in the local store; run \`trainyard pull\` and check out again`,
          );
        }
        await restoreOut(ctx, out);
        restored.push(out.path);
      }
    }
    return restored;
  });
}
