/**
 * `trainyard fsck --remote`: download every object the working tree and HEAD need from the remote
 * and hash it (the download path verifies), reporting what is missing or corrupt there. With
 * `repair`, a bad or missing remote object is uploaded again from a verified local copy.
 */
import { rm } from "node:fs/promises";
import { TrainyardError, toError } from "../../core/errors.js";
import type { Oid } from "../../core/oid.js";
import type { Repo } from "../git/index.js";
import { hashFile } from "../hashing/index.js";
import { collectGcRoots, LocalStore } from "../store/index.js";
import { expandRoots } from "../store/index.js";
import type { RemoteStore } from "./remote.js";

export interface RemoteFsckProblem {
  oid: Oid;
  problem: "corrupt" | "missing" | "unreadable";
  detail: string;
  repaired: boolean;
}

export interface RemoteFsckResult {
  remote: string;
  objects: number;
  problems: RemoteFsckProblem[];
}

export async function fsckRemote(
  repo: Repo,
  remote: RemoteStore,
  options: { repair?: boolean } = {},
): Promise<RemoteFsckResult> {
  const store = new LocalStore(repo.storeDir);
  await remote.checkAccess();
  const roots = (await collectGcRoots(repo)).filter((r) => !r.optional);
  const objects = await expandRoots(roots, async (oid) => {
    if (store.has(oid)) return store.readVerified(oid);
    return remote.downloadBytes(oid);
  });
  const unique = [...new Map(objects.map((o) => [o.oid, o])).values()];
  const problems: RemoteFsckProblem[] = [];
  for (const object of unique) {
    const temp = await store.newTempPath();
    try {
      await remote.download(object.oid, temp, undefined, object.size);
    } catch (thrown) {
      const error = toError(thrown);
      const problem =
        error instanceof TrainyardError && error.code === "missing"
          ? "missing"
          : error instanceof TrainyardError && error.code === "corrupt"
            ? "corrupt"
            : "unreadable";
      let repaired = false;
      if (options.repair && problem !== "unreadable" && store.has(object.oid)) {
        // Only a local copy that itself verifies may replace the remote one.
        const local = await hashFile(store.objectPath(object.oid));
        if (local.oid === object.oid) {
          await remote.upload(object, store.objectPath(object.oid));
          repaired = true;
        }
      }
      problems.push({ oid: object.oid, problem, detail: error.message, repaired });
    } finally {
      await rm(temp, { force: true });
    }
  }
  return { remote: remote.name, objects: unique.length, problems };
}
