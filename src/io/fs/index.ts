/**
 * Safe writes inside the repository: atomic replace, temp paths, quiet removal, .gitignore entries.
 * What other layers may import from this folder; everything else here is internal.
 */
export { removeQuietly, syncDirectory, tempPathFor, toIoError, writeFileAtomic } from "./atomic-write.js";
export { addGitIgnoreEntry } from "./git-ignore-entry.js";
export { syncFileSystem } from "./sync-file-system.js";
export { cleanCrashLeftovers, newRepoTempPath, repoTempDir } from "./crash-leftovers.js";
export { assertWritable, WriteGuard } from "./write-guard.js";
