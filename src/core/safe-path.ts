/**
 * Relative paths that come from files we read (pointers, manifests, pipeline config) must stay
 * inside the folder they are relative to. One checker, shared by every parser, so the rules agree.
 */
import { type ErrorCode, TrainyardError, type SourceLocation } from "./errors.js";

/** Why `path` is not a safe relative POSIX path, or undefined when it is. */
export function unsafePathReason(path: string): string | undefined {
  if (path.length === 0) return "is empty";
  if (path.includes("\0")) return "contains a NUL byte";
  if (path.includes("\\")) return "contains a backslash (use / as the separator)";
  if (path.startsWith("/")) return "is absolute";
  if (/^[A-Za-z]:/.test(path)) return "starts with a drive letter";
  for (const segment of path.split("/")) {
    if (segment === "..") return "escapes its folder with ..";
    if (segment === ".") return "contains a . segment";
    if (segment === "") return "contains an empty segment (// or a trailing /)";
  }
  return undefined;
}

export function isSafeRelativePath(path: string): boolean {
  return unsafePathReason(path) === undefined;
}

/** Throw a TrainyardError naming the path and why it is refused. */
export function assertSafeRelativePath(
  path: string,
  code: ErrorCode = "path",
  location?: SourceLocation,
): string {
  const reason = unsafePathReason(path);
  if (reason) {
    throw new TrainyardError(
      code,
      `path ${JSON.stringify(path)} ${reason}; expected a relative path inside its folder`,
      location,
    );
  }
  return path;
}

/** Whether `child` (both absolute, normalised) is `parent` or lies below it. */
export function isInsideDir(parent: string, child: string): boolean {
  if (child === parent) return true;
  const base = parent.endsWith("/") ? parent : `${parent}/`;
  return child.startsWith(base);
}
