/**
 * The few error classes Trainyard throws on purpose. The CLI edge prints a `TrainyardError`
 * plainly (it is the user's to fix) and treats anything else as an internal bug.
 */

/** Where in a user's file something went wrong: 1-based line and column. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** Dotted key path inside the document, e.g. `stages.train.deps[1]`. */
  key?: string;
}

export type ErrorCode =
  | "config" // trainyard.yaml or params file invalid
  | "pointer" // a .ty pointer file invalid
  | "manifest" // a directory manifest invalid
  | "path" // path traversal / outside the repo
  | "corrupt" // object content does not match its hash
  | "missing" // object or file not found
  | "io" // filesystem trouble (ENOSPC, EACCES …)
  | "usage" // bad CLI arguments
  | "pipeline" // DAG / stage failures
  | "remote" // remote store trouble
  | "git" // git trouble
  | "github" // GitHub API trouble
  | "auth" // authorisation refused
  | "metrics" // a metrics or params file invalid
  | "card" // a model card invalid
  | "registry" // registry tag rules refused an action
  | "deploy" // a deploy hook failed or its model could not be fetched
  | "locked" // the store lock is held by another process
  | "data"; // a data file (e.g. CSV for monitoring) is invalid

export class TrainyardError extends Error {
  override readonly name: string = "TrainyardError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly location?: SourceLocation,
    options?: { cause?: unknown },
  ) {
    super(location ? `${formatLocation(location)}: ${message}` : message, options);
  }
}

/** Several independent problems found in one document, reported together. */
export class TrainyardErrors extends TrainyardError {
  override readonly name = "TrainyardErrors";
  constructor(
    code: ErrorCode,
    readonly errors: readonly TrainyardError[],
  ) {
    super(code, errors.map((e) => e.message).join("\n"));
  }
}

export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  if (loc.key) s += ` (key ${loc.key})`;
  return s;
}

/** Normalise anything thrown into an Error once, at the edge. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === "string" ? thrown : JSON.stringify(thrown));
}

/** Node's system errors carry a `code` such as ENOENT or ENOSPC. */
export function errnoCode(thrown: unknown): string | undefined {
  if (typeof thrown === "object" && thrown !== null && "code" in thrown) {
    const code = (thrown as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}
