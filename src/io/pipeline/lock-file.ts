/** Read and atomically write `trainyard.lock` at the repository root. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { errnoCode } from "../../core/errors.js";
import { emptyLock, LOCK_FILE, type Lock, parseLock, serializeLock } from "../../core/lock.js";
import { assertWritable, toIoError, writeFileAtomic } from "../fs/index.js";

export async function readLockFile(root: string): Promise<Lock> {
  let text: string;
  try {
    text = await readFile(join(root, LOCK_FILE), "utf8");
  } catch (thrown) {
    if (errnoCode(thrown) === "ENOENT") return emptyLock();
    throw toIoError(thrown, "read", join(root, LOCK_FILE));
  }
  return parseLock(text, LOCK_FILE);
}

/** Temp file + fsync + rename: a crash leaves either the old or the new lock, never half of one. */
export async function writeLockFile(root: string, lock: Lock): Promise<void> {
  await writeFileAtomic(assertWritable(root, join(root, LOCK_FILE)), serializeLock(lock));
}
