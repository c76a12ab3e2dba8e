/**
 * Repository-relative paths as the pipeline compares them: POSIX separators, no "./", no
 * trailing slash. Safety (no traversal, no absolute paths) defers to core/safe-path.ts, the one
 * checker every parser shares; config paths are normalised first so `./src/` is accepted.
 */
import { posix } from "node:path";
import { unsafePathReason } from "./safe-path.js";

export function normalizeRepoPath(path: string): string {
  const n = posix.normalize(path);
  return n === "." || n === "./" ? "" : n.replace(/^\.\//, "").replace(/\/+$/, "");
}

/** True when `child` is `parent` itself or lies below it. */
export function isSameOrInside(child: string, parent: string): boolean {
  return parent === "" || child === parent || child.startsWith(`${parent}/`);
}

/** Why a configured path may not be used, or undefined when it is a plain path inside the repo. */
export function repoPathProblem(path: string): string | undefined {
  if (posix.isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\"))
    return "is absolute; expected a path relative to the repository root";
  const n = normalizeRepoPath(path);
  if (n === ".." || n.startsWith("../")) return "escapes the repository; expected a path inside it";
  if (n === "") return "names the repository root itself; expected a file or directory inside it";
  if (n === ".git" || n.startsWith(".git/")) return "is inside .git; expected a path in the working tree";
  // An out is named in .gitignore, one pattern per line: a line break would split its entry.
  if (/[\r\n]/.test(n)) return "holds a line break; expected a name .gitignore and the lock can hold";
  const reason = unsafePathReason(n);
  return reason ? `${reason}; expected a plain relative path inside the repository` : undefined;
}
