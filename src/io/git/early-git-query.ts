/**
 * A read-only git query started before the code that needs it has loaded: `registry show` starts
 * its `for-each-ref` while the command's modules are still loading, so git's time overlaps
 * theirs. The query is keyed by folder and arguments and taken at most once, by a caller asking
 * for exactly the same query (runGitQuery); one nobody takes is killed by discardEarlyGitQueries.
 * The result, failures included, is the same object a query started on demand would give.
 */
import { type SpawnedGitResult, spawnGit } from "./spawn-git.js";

interface EarlyQuery {
  readonly result: Promise<SpawnedGitResult>;
  readonly abort: AbortController;
}

const started = new Map<string, EarlyQuery>();

// NUL cannot occur in a path or an argument handed to a process, so the key is unambiguous.
const keyOf = (cwd: string, args: readonly string[]) => [cwd, ...args].join("\0");

/** Start `git args` in `cwd` now, for a later takeEarlyGitQuery with the same folder and arguments. */
export function startEarlyGitQuery(cwd: string, args: readonly string[]): void {
  const key = keyOf(cwd, args);
  if (started.has(key)) return;
  const abort = new AbortController();
  const result = spawnGit(cwd, args, { signal: abort.signal });
  // Handled here so a query nobody takes (or one killed unread) never surfaces as an unhandled
  // rejection; the taker still receives the rejection itself.
  result.catch(() => undefined);
  started.set(key, { result, abort });
}

/** The early query for exactly `cwd` and `args`, handed out once; undefined when none was started. */
export function takeEarlyGitQuery(
  cwd: string,
  args: readonly string[],
): Promise<SpawnedGitResult> | undefined {
  const key = keyOf(cwd, args);
  const query = started.get(key);
  started.delete(key);
  return query?.result;
}

/** Kill the early queries nobody took (the command needed other arguments, or failed before). */
export function discardEarlyGitQueries(): void {
  for (const query of started.values()) query.abort.abort();
  started.clear();
}
