/**
 * Atomic file writes: write a temp file in the destination's folder, fsync it, rename it over the
 * destination. A crash leaves either the old file or the new one, never a torn one. Disk-full and
 * quota errors become a TrainyardError("io") that says what could not be written.
 */
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { errnoCode, TrainyardError, toError } from "../../core/errors.js";

/** Random per thread; a counter makes each name of this thread unique (6 + 6 hex digits). */
const THREAD_TAG = randomBytes(3).toString("hex");
let tempCounter = 0;

/**
 * `dir/.name.tmp-<pid>-<12 hex>`: same folder (so rename is atomic), hidden, unique per writer.
 * A counter after a random per-thread tag, not fresh random bytes per name: `add` of 20,000 files
 * spent 100 ms in randomFillSync. Every temp file is created exclusively ("wx"), so even a reused
 * name could never overwrite anything.
 */
export function tempPathFor(dest: string): string {
  const unique = `${THREAD_TAG}${(tempCounter++ & 0xffffff).toString(16).padStart(6, "0")}`;
  return join(dirname(dest), `.${basename(dest)}.tmp-${process.pid}-${unique}`);
}

/** Whether a name was made by `tempPathFor` (gc and store listings skip and clean these). */
export function isTempName(name: string): boolean {
  return /^\..*\.tmp-\d+-[0-9a-f]{12}$/.test(name);
}

/** Turn a filesystem error into a user-facing one; disk full and quota get a plain explanation. */
export function toIoError(thrown: unknown, action: string, path: string): Error {
  if (thrown instanceof TrainyardError) return thrown;
  const code = errnoCode(thrown);
  if (code === "ENOSPC" || code === "EDQUOT") {
    const what = code === "ENOSPC" ? "no space left on the device" : "disk quota exceeded";
    return new TrainyardError(
      "io",
      `cannot ${action} ${path}: ${what}; nothing was changed — free some space and retry`,
      undefined,
      {
        cause: thrown,
      },
    );
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new TrainyardError("io", `cannot ${action} ${path}: permission denied (${code})`, undefined, {
      cause: thrown,
    });
  }
  if (code)
    return new TrainyardError("io", `cannot ${action} ${path}: ${toError(thrown).message}`, undefined, {
      cause: thrown,
    });
  return toError(thrown);
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}

export interface AtomicWriteOptions {
  mode?: number;
}

export async function writeFileAtomic(
  dest: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temp = tempPathFor(dest);
  try {
    const handle = await open(temp, "wx", options.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, dest);
  } catch (thrown) {
    await removeQuietly(temp);
    throw toIoError(thrown, "write", dest);
  }
  await syncDirectory(dirname(dest));
}

/** Make a rename durable. Some filesystems refuse fsync on a directory; that is not an error. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort: the rename itself is already atomic
  }
}
