/**
 * The one check every write path makes before it creates, replaces or deletes something in the
 * working tree (checkout, pull, restored outs, `.gitignore` edits, pointers, cards, run outputs):
 * the destination must lie inside the repository, not inside a `.git` folder, and no component on
 * the way — nor the destination itself — may be a symbolic link. Trainyard never creates symbolic
 * links, so any link it meets was planted or committed by someone else, and following it could write
 * outside the repository. The error names the offending path.
 */
import { lstatSync, readlinkSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { TrainyardError } from "../../core/errors.js";

export class WriteGuard {
  /** Folders already seen to be real directories inside the repository. */
  private readonly safeDirs = new Set<string>();

  constructor(readonly root: string) {}

  /** Returns `abs` when it may be written; throws a TrainyardError("path") naming the problem. */
  check(abs: string, action = "write"): string {
    const target = resolve(abs);
    const rel = relative(this.root, target);
    if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new TrainyardError(
        "path",
        `refusing to ${action} ${target}: it is outside the repository ${this.root}`,
      );
    }
    const parts = rel.split(sep);
    const shown = parts.join("/");
    if (parts.some((p) => p.toLowerCase() === ".git")) {
      throw new TrainyardError("path", `refusing to ${action} ${shown}: it is inside a .git folder`);
    }
    let dir = this.root;
    for (const [i, part] of parts.entries()) {
      const path = join(dir, part);
      const last = i === parts.length - 1;
      if (!last && this.safeDirs.has(path)) {
        dir = path;
        continue;
      }
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (!st) return target; // the rest does not exist yet: it will be created as real folders
      if (st.isSymbolicLink()) {
        const at = parts.slice(0, i + 1).join("/");
        throw new TrainyardError(
          "path",
          `refusing to ${action} ${shown}: ${at} is a symbolic link (to ${readlinkSync(path)}) that Trainyard did not create; replace it with a real ${last ? "file" : "folder"} or remove it`,
        );
      }
      if (!last) {
        if (!st.isDirectory()) {
          const at = parts.slice(0, i + 1).join("/");
          throw new TrainyardError("path", `refusing to ${action} ${shown}: ${at} is not a folder`);
        }
        this.safeDirs.add(path);
      }
      dir = path;
    }
    return target;
  }

  /** Forget what was checked (after this process itself removed or replaced folders). */
  reset(): void {
    this.safeDirs.clear();
  }
}

/** One-off check for a single destination. */
export function assertWritable(root: string, abs: string, action?: string): string {
  return new WriteGuard(root).check(abs, action);
}
