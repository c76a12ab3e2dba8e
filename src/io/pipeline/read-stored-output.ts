/**
 * A file a stage wrote, read at a revision where git does not hold it because it is cached
 * (inside a git-ignored out folder): located through that revision's trainyard.lock and read,
 * verified, from the local store.
 */
import { locateInLock } from "../../core/locate-in-lock.js";
import { LOCK_FILE, parseLock } from "../../core/lock.js";
import { parseManifest } from "../../core/manifest.js";
import { isOid, type Oid, shortOid } from "../../core/oid.js";
import { TrainyardError } from "../../core/errors.js";
import { readFileAt, resolveStoreDir } from "../git/index.js";
import { LocalStore } from "../store/index.js";

/** The file's text at commit `rev`, or undefined when the lock there does not name it. */
export async function readStoredOutputAt(
  root: string,
  rev: string,
  file: string,
): Promise<string | undefined> {
  const lockText = await readFileAt(root, rev, LOCK_FILE);
  if (lockText === undefined) return undefined;
  const where = locateInLock(parseLock(lockText, `${LOCK_FILE}@${rev.slice(0, 12)}`), file);
  if (!where) return undefined;
  const store = new LocalStore(resolveStoreDir(root));
  const read = async (hash: string): Promise<Buffer> => {
    if (!isOid(hash) || !store.has(hash)) {
      throw new TrainyardError(
        "missing",
        `${file} at ${rev.slice(0, 12)} is inside a cached out whose object ${shortOid(hash as Oid)} is not in the local store; run \`trainyard pull\` (or \`trainyard fetch\`) at that revision first`,
      );
    }
    return store.readVerified(hash);
  };
  if (where.kind === "object") return (await read(where.hash)).toString("utf8");
  const manifest = parseManifest(
    (await read(where.folderHash)).toString("utf8"),
    store.objectPath(where.folderHash as Oid),
  );
  const entry = manifest.find((e) => e.path === where.inside);
  return entry ? (await read(entry.hash)).toString("utf8") : undefined;
}
