/**
 * Which tracked folders a list of changed paths leaves alone: a folder is touched by a change to
 * itself or to anything inside it. A path reported for a folder above it only says that folder's
 * entries changed: when a folder above is removed, renamed or replaced, watchman reports every
 * path below it as well (seen with watchman 4.9 for a folder moved away and back, and for one
 * replaced by another with the same names), so those reports touch the folder through its own
 * paths. Paths are relative, '/'-separated, without a trailing slash.
 */
export function untouchedPaths(folders: Iterable<string>, changed: readonly string[]): Set<string> {
  const untouched = new Set(folders);
  for (const path of changed) {
    if (untouched.size === 0) break;
    // The path itself, or a tracked folder it lies in.
    untouched.delete(path);
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1))
      untouched.delete(path.slice(0, slash));
  }
  return untouched;
}
