/**
 * A file-system monitor for `status`, `plan` and `run`, like git's `core.fsmonitor`: a watchman
 * server tells which paths changed since the last run, and a tracked folder nobody touched is
 * answered from its stat-cache record without a walk, so a no-op status stats nothing.
 *
 * Why it is safe. The query runs when the command starts, before any walk, and its clock is kept
 * for the next run; every change after that clock is reported next time. The state file lists the
 * folders whose stat-cache record matched the disk at some moment after the kept clock (a walk that
 * confirmed or rewrote the record, or an earlier run's list minus what changed since), each with
 * the manifest id of that record. A folder is answered only while its record still has that id:
 * a record written since by another command (add, checkout, a status without the monitor) is
 * walked once, and so is an older record put back by a command that loaded the stat cache before
 * and saved it after (two stores used on one working tree do not share a lock). The state is
 * written after the stat cache (withDataContext saves them in that order), so a crash in between
 * leaves an older clock: more is reported, never less. Anything unexpected (no state, another
 * root, a server restart, a recrawl warning, watchman missing) falls back to the walk. Watchman
 * reports nothing inside a folder its `.watchmanconfig` ignores (`ignore_dirs`, read when the
 * watch starts), nor inside Trainyard's own folders that the query leaves out: a tracked folder
 * at, above or inside one of those is always walked.
 *
 * The answer describes the disk when the command started, so a command that writes files itself
 * (`run`) calls stopAnswering() before its first write; add and checkout never open a monitor.
 * Confirmations stay valid after that: a walk still finds the disk as it is, after the clock.
 */
import { readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { toError } from "../../core/errors.js";
import { isRecord } from "../../core/is-record.js";
import { isSameOrInside, normalizeRepoPath } from "../../core/repo-path.js";
import { untouchedPaths } from "../../core/untouched-paths.js";
import { removeQuietly, tempPathFor } from "../fs/index.js";
import type { Repo } from "../git/index.js";
import type { FolderChangeMonitor } from "../hashing/index.js";
import {
  type ChangesSince,
  changesSince,
  ignoredDirs,
  NO_CLOCK,
  type WatchedRoot,
  WatchmanUnavailable,
  watchProject,
} from "./watchman.js";

/** The environment variable that turns the monitor on: `TRAINYARD_FSMONITOR=watchman`. */
export const FSMONITOR_ENV = "TRAINYARD_FSMONITOR";

interface MonitorState {
  /** The repository's real path: a state copied to another clone must not be trusted there. */
  root: string;
  watch: string;
  relativePath?: string;
  clock: string;
  /** Tracked folders (stat-cache keys) whose record matched the disk after `clock`, with its id. */
  clean: Record<string, string>;
  /** The watch's `ignore_dirs` (relative to `watch`), as watchman read them when the watch started. */
  ignoredDirs?: string[];
}

export interface OpenedMonitor {
  monitor?: ChangeMonitor;
  /** Why the monitor is off although it was asked for (the command walks as usual), or a hint. */
  warnings: string[];
}

export class ChangeMonitor implements FolderChangeMonitor {
  /** Folders a walk after the query found as their record says, with the record's id. */
  private readonly confirmed = new Map<string, string>();
  private answering = true;

  private constructor(
    private readonly file: string,
    private readonly realRoot: string,
    private readonly root: WatchedRoot,
    private readonly answer: ChangesSince,
    /** Folders from the last run's list that nothing touched since its clock, with their record's id. */
    private readonly untouched: Map<string, string>,
    private readonly previous: MonitorState | undefined,
    private readonly ignored: string[],
    /** Folders (relative to the repository) whose changes watchman does not report to us. */
    private readonly unreported: string[],
  ) {}

  /** Ask watchman what changed, when `TRAINYARD_FSMONITOR=watchman`; otherwise no monitor. */
  static open(repo: Repo, env: NodeJS.ProcessEnv = process.env): OpenedMonitor {
    const setting = env[FSMONITOR_ENV];
    if (!setting || setting === "off") return { warnings: [] };
    if (setting !== "watchman")
      return {
        warnings: [`${FSMONITOR_ENV}=${setting} is not a monitor Trainyard knows (use watchman or off)`],
      };
    const file = join(repo.cacheDir, "fsmonitor.json");
    try {
      const realRoot = realpathSync.native(repo.root);
      const previous = readState(file, realRoot);
      const excluded = [repo.stateDir, repo.storeDir]
        .map((dir) => relative(realRoot, realpathOr(dir)))
        .filter((rel) => rel !== "" && !rel.startsWith("..") && !isAbsolute(rel));
      const warnings: string[] = [];
      let root: WatchedRoot;
      let answer: ChangesSince;
      let watchStarted = false;
      try {
        if (!previous) throw new Error("no earlier clock");
        root = {
          watch: previous.watch,
          ...(previous.relativePath ? { relativePath: previous.relativePath } : {}),
        };
        answer = changesSince(root, previous.clock, excluded);
      } catch (thrown) {
        // A server that did not answer in time would not answer the next question either.
        if (thrown instanceof WatchmanUnavailable && thrown.timedOut) throw thrown;
        // First run, or the server forgot the watch: watch (again) and start from no clock.
        root = watchProject(realRoot);
        answer = changesSince(root, NO_CLOCK, excluded);
        watchStarted = true;
      }
      // Watchman reads .watchmanconfig when a watch starts, and a new watch answers "fresh".
      const ignored =
        answer.fresh || !previous?.ignoredDirs || answer.names.includes(".watchmanconfig")
          ? ignoredDirs(root)
          : previous.ignoredDirs;
      const hint = watchStarted ? storeHint(root, excluded, ignored) : undefined;
      if (hint) warnings.push(hint);
      // Until it is cleared, every answer carries it and every folder is walked: say why.
      if (answer.warning) warnings.push(`watchman: ${answer.warning.trim()}`);
      const unreported = [...excluded, ...inRepository(ignored, root.relativePath)];
      const untouched = new Map<string, string>();
      if (previous && !answer.fresh)
        for (const key of untouchedPaths(Object.keys(previous.clean), answer.names))
          untouched.set(key, previous.clean[key]!);
      const monitor = new ChangeMonitor(
        file,
        realRoot,
        root,
        answer,
        untouched,
        previous,
        ignored,
        unreported,
      );
      return { monitor, warnings };
    } catch (thrown) {
      return {
        warnings: [`watchman could not be asked, so the files are walked: ${toError(thrown).message}`],
      };
    }
  }

  /** True when nothing under `key` changed since its record, with id `oid`, was last confirmed. */
  unchanged(key: string, oid: string): boolean {
    // Only folders strictly inside the repository: changes are matched against `key` by prefix.
    if (!this.answering) return false;
    if (key === "" || key === "." || key.startsWith("../") || isAbsolute(key)) return false;
    if (this.untouched.get(key) !== oid) return false;
    if (this.unreported.some((dir) => isSameOrInside(key, dir) || isSameOrInside(dir, key))) return false;
    // Watchman does not follow symbolic links: a folder reached through one is not watched.
    return realpathOr(join(this.realRoot, key)) === join(this.realRoot, key);
  }

  /** The command is about to write files: from now on every folder is walked. */
  stopAnswering(): void {
    this.answering = false;
  }

  /** A walk after the query found the record of `key` (with id `oid`) true. */
  confirm(key: string, oid: string): void {
    this.confirmed.set(key, oid);
  }

  /**
   * Keep the new clock and the folders known clean at it, for the next run. `recorded` is every
   * folder the stat cache now holds a record for (the list never outgrows the cache).
   */
  async save(recorded: Iterable<string>): Promise<void> {
    const keys: string[] = [];
    for (const key of recorded) if (this.untouched.has(key) || this.confirmed.has(key)) keys.push(key);
    keys.sort();
    const clean: Record<string, string> = {};
    for (const key of keys) clean[key] = this.confirmed.get(key) ?? this.untouched.get(key)!;
    const previous = this.previous;
    if (
      previous &&
      !this.answer.fresh &&
      this.answer.names.length === 0 &&
      previous.watch === this.root.watch &&
      previous.ignoredDirs !== undefined &&
      keys.length === Object.keys(previous.clean).length &&
      keys.every((key) => previous.clean[key] === clean[key])
    )
      return; // nothing new to remember: keep the older clock, and skip the write
    const state: MonitorState = {
      root: this.realRoot,
      watch: this.root.watch,
      ...(this.root.relativePath ? { relativePath: this.root.relativePath } : {}),
      clock: this.answer.clock,
      clean,
      ignoredDirs: this.ignored,
    };
    // No fsync: losing this file, or finding it torn, only means one walk (an unreadable state is
    // ignored), and the stat cache it vouches for was made durable before this write.
    const temp = tempPathFor(this.file);
    try {
      writeFileSync(temp, `${JSON.stringify(state)}\n`, { flag: "wx" });
      renameSync(temp, this.file);
    } catch {
      await removeQuietly(temp);
    }
  }
}

/**
 * Said once, when the watch starts: watchman crawls a folder's whole parent when a folder inside it
 * is removed, and every command removes its lock folder from the store, so a watched store costs
 * the server a crawl of every object per command (0.7 s at 100,000 objects, measured). Only the
 * repository's `.watchmanconfig` can tell watchman to ignore it.
 */
function storeHint(
  root: WatchedRoot,
  excluded: readonly string[],
  ignored: readonly string[],
): string | undefined {
  const inWatch = (dir: string) => (root.relativePath ? `${root.relativePath}/${dir}` : dir);
  const ignoredSet = new Set(ignored);
  const watched = excluded.map(inWatch).filter((dir) => !ignoredSet.has(dir) && !dir.includes("/"));
  if (watched.length === 0) return undefined;
  return (
    `watchman also watches ${watched.join(" and ")}; add {"ignore_dirs": ${JSON.stringify(watched)}} to ` +
    `${root.watch}/.watchmanconfig, then run \`watchman watch-del ${root.watch}\`, so each command's store lock does not make watchman crawl the whole store`
  );
}

/**
 * Watch-relative folders as paths relative to the repository at `relativePath` inside the watch
 * ("" when one holds the whole repository); folders elsewhere in the watch are left out.
 */
function inRepository(dirs: readonly string[], relativePath: string | undefined): string[] {
  if (!relativePath) return dirs.map(normalizeRepoPath);
  const inside: string[] = [];
  for (const dir of dirs.map(normalizeRepoPath)) {
    if (isSameOrInside(relativePath, dir)) inside.push("");
    else if (dir.startsWith(`${relativePath}/`)) inside.push(dir.slice(relativePath.length + 1));
  }
  return inside;
}

function realpathOr(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

function readState(file: string, realRoot: string): MonitorState | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const { root, watch, relativePath, clock, clean, ignoredDirs } = parsed;
  if (root !== realRoot || typeof watch !== "string" || typeof clock !== "string") return undefined;
  if (relativePath !== undefined && typeof relativePath !== "string") return undefined;
  if (!isRecord(clean) || !Object.values(clean).every((oid) => typeof oid === "string")) return undefined;
  return {
    root,
    watch,
    clock,
    clean: clean as Record<string, string>,
    ...(relativePath ? { relativePath } : {}),
    ...(isStringList(ignoredDirs) ? { ignoredDirs } : {}),
  };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
