/**
 * The two questions Trainyard asks a watchman server (https://facebook.github.io/watchman/), through
 * its command-line client in JSON mode: "watch this repository" and "which paths changed since this
 * clock". Synchronous on purpose: the answer is needed before a status walks anything, and the
 * client answers in a few milliseconds once the server watches the tree.
 */
import { spawnSync } from "node:child_process";
import { isRecord } from "../../core/is-record.js";

/** Watchman could not answer: missing, failed, timed out or said something unexpected. */
export class WatchmanUnavailable extends Error {
  /** The program did not answer in time (asking again would wait as long). */
  timedOut = false;
}

export interface WatchedRoot {
  /** The folder watchman watches (the repository, or a parent holding a `.watchmanconfig`). */
  watch: string;
  /** The repository's path inside `watch`, when they differ. */
  relativePath?: string;
}

export interface ChangesSince {
  /** Clock to ask from next time; it was taken before any of the listed changes were read. */
  clock: string;
  /**
   * The server cannot say what changed since the given clock (it restarted, the clock belongs to
   * another watch, or it had to recrawl the tree): treat everything as changed.
   */
  fresh: boolean;
  /** Paths relative to the repository (files and folders) that changed since the clock. */
  names: string[];
  /** What watchman said about lost events (it recrawled), with its own advice; repeated until cleared. */
  warning?: string;
}

/** The first query ever asks from this clock: no server issued it, so the answer is "fresh". */
export const NO_CLOCK = "c:0:0";

/**
 * Later queries take milliseconds. A first one waits for watchman's initial crawl of the tree, and a
 * client started while the server is shutting down can hang (seen with watchman 4.9); either way
 * the command walks the files itself after this long, which is always correct.
 */
const TIMEOUT_MS = 5_000;

function ask(command: readonly unknown[], program: string): Record<string, unknown> {
  const run = spawnSync(program, ["--no-pretty", "-j"], {
    input: JSON.stringify(command),
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (run.error) {
    const timedOut = (run.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    const failure = new WatchmanUnavailable(
      timedOut
        ? `${program} did not answer within ${TIMEOUT_MS / 1000} s`
        : `${program} could not run: ${run.error.message}`,
    );
    failure.timedOut = timedOut;
    throw failure;
  }
  let answer: unknown;
  try {
    answer = JSON.parse(run.stdout);
  } catch {
    const said = (run.stderr || run.stdout).trim().split("\n")[0] ?? "";
    throw new WatchmanUnavailable(`${program} exited with ${run.status ?? run.signal}: ${said}`);
  }
  if (!isRecord(answer)) throw new WatchmanUnavailable(`${program} answered something other than an object`);
  if (typeof answer.error === "string") throw new WatchmanUnavailable(`${program}: ${answer.error}`);
  return answer;
}

/** Start watching `dir` (idempotent; the server starts if it is not running). */
export function watchProject(dir: string, program = "watchman"): WatchedRoot {
  const answer = ask(["watch-project", dir], program);
  if (typeof answer.watch !== "string")
    throw new WatchmanUnavailable(`${program} watch-project named no root`);
  return typeof answer.relative_path === "string" && answer.relative_path !== ""
    ? { watch: answer.watch, relativePath: answer.relative_path }
    : { watch: answer.watch };
}

/** The folders the watch's `.watchmanconfig` tells watchman to ignore (relative to the watch). */
export function ignoredDirs(root: WatchedRoot, program = "watchman"): string[] {
  const answer = ask(["get-config", root.watch], program);
  const config = isRecord(answer.config) ? answer.config : {};
  const dirs = config.ignore_dirs;
  return Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === "string") : [];
}

/**
 * What changed under the repository since `clock`, leaving out `excluded` folders (Trainyard's own
 * state: its writes would otherwise be reported back to it on every run). The server syncs with the
 * file system before answering (a cookie file), so every change made before this call is included.
 */
export function changesSince(
  root: WatchedRoot,
  clock: string,
  excluded: readonly string[],
  program = "watchman",
): ChangesSince {
  const leaveOut = excluded.flatMap((dir) => [
    ["dirname", dir],
    ["name", dir, "wholename"],
  ]);
  const query: Record<string, unknown> = {
    since: clock,
    fields: ["name"],
    empty_on_fresh_instance: true,
    ...(leaveOut.length ? { expression: ["not", ["anyof", ...leaveOut]] } : {}),
    ...(root.relativePath ? { relative_root: root.relativePath } : {}),
  };
  const answer = ask(["query", root.watch, query], program);
  const { files } = answer;
  if (typeof answer.clock !== "string" || !Array.isArray(files) || !files.every((f) => typeof f === "string"))
    throw new WatchmanUnavailable(`${program} answered a query without a clock or file names`);
  // A warning is how watchman says it lost events and recrawled: do not trust the list then.
  const fresh = answer.is_fresh_instance === true || typeof answer.warning === "string";
  const warning = typeof answer.warning === "string" ? answer.warning : undefined;
  return { clock: answer.clock, fresh, names: files as string[], ...(warning ? { warning } : {}) };
}
