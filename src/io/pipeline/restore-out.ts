/**
 * Put a stage out back from the store (run-cache hit, `checkout`, `pull`): a file is materialised
 * (verified, atomic rename); a folder is rebuilt from its manifest in a staging folder under
 * `.trainyard/tmp/`, every object verified, and swapped in only when complete, so a failure never
 * leaves a half-restored out. Every destination passes the write guard first.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { type LockEntry, storedOuts } from "../../core/lock.js";
import { parseManifest } from "../../core/manifest.js";
import { shortOid } from "../../core/oid.js";
import { newRepoTempPath, toIoError } from "../fs/index.js";
import { type DataContext, withDataContext } from "../data/index.js";
import type { Repo } from "../git/index.js";
import { missingObjectHint } from "../store/index.js";
import { statFile } from "../hashing/index.js";
import { readLockFile } from "./lock-file.js";

export async function restoreOut(
  ctx: Pick<DataContext, "repo" | "store" | "cache" | "guard">,
  out: LockEntry,
): Promise<void> {
  const abs = ctx.guard.check(join(ctx.repo.root, out.path), "restore");
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
  for (const e of manifest) ctx.guard.check(join(abs, e.path), "restore");
  const staging = await newRepoTempPath(ctx.repo, "restore");
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
 * checking out a registered commit (every out), `trainyard checkout` (outs missing from the working
 * copy, or the ones named) and `trainyard pull`. Every object is checked to be present before
 * anything is written; a missing one is reported with where to get it (a remote, or `run`).
 */
export async function restoreLockOutputs(
  repo: Repo,
  options: { paths?: ReadonlySet<string>; onlyMissing?: boolean } = {},
): Promise<string[]> {
  const lock = await readLockFile(repo.root);
  return withDataContext(repo, {}, async (ctx) => {
    const chosen: { stage: string; out: LockEntry }[] = [];
    for (const [stage, entry] of Object.entries(lock.stages)) {
      for (const out of storedOuts(entry)) {
        if (options.paths && !options.paths.has(out.path)) continue;
        if (options.onlyMissing && existsSync(join(repo.root, out.path))) continue;
        chosen.push({ stage, out });
      }
    }
    for (const { stage, out } of chosen) {
      ctx.guard.check(join(repo.root, out.path), "restore");
      const hash = out.hash as `sha256:${string}`;
      const manifest =
        out.files !== undefined && ctx.store.has(hash)
          ? parseManifest((await ctx.store.readVerified(hash)).toString("utf8"), ctx.store.objectPath(hash))
          : [];
      const absent = [hash, ...manifest.map((e) => e.hash)].filter((oid) => !ctx.store.has(oid));
      if (absent.length > 0) {
        throw new TrainyardError(
          "missing",
          `cannot restore ${out.path} (stage ${stage}): object ${shortOid(absent[0]!)} is not in the local store; ${await missingObjectHint(repo, stage)}`,
        );
      }
    }
    const restored: string[] = [];
    for (const { out } of chosen) {
      await restoreOut(ctx, out);
      restored.push(out.path);
    }
    return restored;
  });
}
