/**
 * Where a config is read from. The loader does not care: it asks a reader for project files by
 * their repository-relative names and for the label to show in errors. Readers here cover the
 * working tree and a git revision; src/github supplies one over the contents API.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { errnoCode } from "../../core/errors.js";
import { toIoError } from "../fs/index.js";
import { readFileAt, WORKTREE } from "../git/index.js";

export interface ConfigReader {
  /** Text of `file` (relative to the project folder), or undefined when it does not exist there. */
  read(file: string): Promise<string | undefined>;
  /** How `file` is named in errors: `trainyard.yaml`, or `trainyard.yaml@v1.2.0` at a revision. */
  label(file: string): string;
  /** Where the files come from, for "not found" messages: a folder, a revision. */
  readonly where: string;
}

/** The files on disk under `root`. */
export function workingTreeReader(root: string): ConfigReader {
  return {
    where: root,
    label: (file) => file,
    async read(file) {
      const path = join(root, file);
      try {
        return await readFile(path, "utf8");
      } catch (thrown) {
        const code = errnoCode(thrown);
        if (code === "ENOENT" || code === "ENOTDIR") return undefined;
        throw toIoError(thrown, "read", path);
      }
    },
  };
}

/**
 * The files committed at `commit` (or the working tree when it is WORKTREE) under `root`, which
 * may be a folder inside the repository; errors name them `file@<label>`.
 */
export function revisionReader(root: string, commit: string, label = commit.slice(0, 12)): ConfigReader {
  if (commit === WORKTREE) return workingTreeReader(root);
  return {
    where: label,
    label: (file) => `${file}@${label}`,
    read: (file) => readFileAt(root, commit, file),
  };
}
