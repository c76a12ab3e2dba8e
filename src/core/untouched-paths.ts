/**
 * Which tracked folders a list of changed paths leaves alone. A folder is touched by a change to
 * itself, to anything inside it, or to any folder above it (a parent removed, renamed or replaced
 * takes the folder with it). Paths are relative, '/'-separated, without a trailing slash.
 */
export function untouchedPaths(folders: Iterable<string>, changed: readonly string[]): Set<string> {
  const untouched = new Set(folders);
  if (untouched.size === 0 || changed.length === 0) return untouched;
  // Every folder above a tracked folder, to the tracked folders under it.
  const below = new Map<string, string[]>();
  for (const folder of untouched) {
    for (let slash = folder.indexOf("/"); slash !== -1; slash = folder.indexOf("/", slash + 1)) {
      const above = folder.slice(0, slash);
      const list = below.get(above);
      if (list) list.push(folder);
      else below.set(above, [folder]);
    }
  }
  for (const path of changed) {
    // The path itself, or a tracked folder it lies in.
    untouched.delete(path);
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1))
      untouched.delete(path.slice(0, slash));
    // Tracked folders the path lies above.
    for (const folder of below.get(path) ?? []) untouched.delete(folder);
    if (untouched.size === 0) break;
  }
  return untouched;
}
