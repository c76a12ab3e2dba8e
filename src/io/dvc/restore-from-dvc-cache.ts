/**
 * Put data DVC tracks back into the working tree from DVC's local cache (`.dvc/cache/files/md5/…`),
 * every file checked against its md5 before it lands, so trainyard re-hashes (sha256) exactly the
 * bytes DVC recorded. Nothing outside the repository or inside .git is ever written.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type DvcTracked, dvcCachePath, parseDirListing } from "../../core/dvc/dvc-tracked.js";
import { TrainyardError, toError } from "../../core/errors.js";
import { repoPathProblem } from "../../core/repo-path.js";
import { WriteGuard, writeFileAtomic } from "../fs/index.js";

export type RestoreOutcome = "present" | "restored" | "not-in-cache";

async function verifiedCacheFile(root: string, md5: string, isDir: boolean): Promise<Buffer | undefined> {
  const file = join(root, dvcCachePath(md5, isDir));
  if (!existsSync(file)) return undefined;
  const bytes = await readFile(file);
  const actual = createHash("md5").update(bytes).digest("hex");
  if (actual !== md5)
    throw new TrainyardError(
      "corrupt",
      `${dvcCachePath(md5, isDir)} in DVC's cache hashes to ${actual}, not ${md5}`,
    );
  return bytes;
}

export async function restoreFromDvcCache(root: string, item: DvcTracked): Promise<RestoreOutcome> {
  const problem = repoPathProblem(item.path);
  if (problem) throw new TrainyardError("usage", `${item.source}: path "${item.path}" ${problem}`);
  if (existsSync(join(root, item.path))) return "present";
  const guard = new WriteGuard(root);
  try {
    if (!item.isDir) {
      const bytes = await verifiedCacheFile(root, item.md5, false);
      if (!bytes) return "not-in-cache";
      await mkdir(dirname(join(root, item.path)), { recursive: true });
      await writeFileAtomic(guard.check(join(root, item.path), "restore"), bytes);
      return "restored";
    }
    const listing = await verifiedCacheFile(root, item.md5, true);
    if (!listing) return "not-in-cache";
    const files = parseDirListing(listing.toString("utf8"));
    const blobs = await Promise.all(files.map((f) => verifiedCacheFile(root, f.md5, false)));
    if (blobs.some((b) => b === undefined)) return "not-in-cache";
    // Built beside the target and renamed in whole, so a failure leaves no half folder.
    const staging = guard.check(join(root, `${item.path}.trainyard-import`), "restore");
    for (const [i, f] of files.entries()) {
      const dest = guard.check(join(staging, f.relpath), "restore");
      await mkdir(dirname(dest), { recursive: true });
      await writeFileAtomic(dest, blobs[i]!);
    }
    await mkdir(dirname(join(root, item.path)), { recursive: true });
    await rename(staging, guard.check(join(root, item.path), "restore"));
    return "restored";
  } catch (thrown) {
    if (thrown instanceof TrainyardError) throw thrown;
    throw new TrainyardError(
      "usage",
      `${item.source}: cannot restore ${item.path} from DVC's cache: ${toError(thrown).message}`,
    );
  }
}
