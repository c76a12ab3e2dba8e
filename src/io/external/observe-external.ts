/** An external dep as the lock records it, read for `status`, `plan` and `run`. */
import type { StoreConfig } from "../../core/config/schema.js";
import { externalLockEntry, parseExternalDep } from "../../core/external-dep.js";
import { TrainyardError } from "../../core/errors.js";
import type { LockEntry } from "../../core/lock.js";
import { isInsideDir } from "../../core/safe-path.js";
import { probeExternal } from "./fetch-external.js";

/** Undefined when the location does not exist (the stage then reports the dep as missing). */
export async function observeExternalDep(
  spec: string,
  repoRoot: string,
  store?: StoreConfig,
): Promise<LockEntry | undefined> {
  const dep = parseExternalDep(spec);
  if (dep.kind === "file" && isInsideDir(repoRoot, dep.path)) {
    // Inside the repository it would be invisible to the stage graph: name it relatively.
    throw new TrainyardError(
      "config",
      `dep ${dep.path} is inside the repository; write it as a relative path`,
    );
  }
  const seen = await probeExternal(dep, store);
  return seen ? externalLockEntry(dep.spec, seen) : undefined;
}
