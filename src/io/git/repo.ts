/**
 * Find the repository a command runs in and where its state lives.
 * root = nearest folder (from cwd upwards) holding `.trainyard/` or `trainyard.yaml`, else the git top level.
 */
import { CONFIG_FILE } from "../../core/file-names.js";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { runGitSync } from "./run-git.js";

export const STATE_DIR_NAME = ".trainyard";

export interface Repo {
  root: string;
  /** `<root>/.trainyard` */
  stateDir: string;
  /** The local content-addressed store. */
  storeDir: string;
  /** `<root>/.trainyard/cache` (stat cache and other rebuildable state; git-ignored). */
  cacheDir: string;
  /** Whether `root` is inside a git work tree. */
  isGit: boolean;
}

export function findRepoRoot(cwd: string): string | undefined {
  if (!existsSync(cwd)) throw new TrainyardError("usage", `folder ${cwd} does not exist`);
  let dir = realpathSync(resolve(cwd));
  for (;;) {
    if (existsSync(join(dir, STATE_DIR_NAME)) || existsSync(join(dir, CONFIG_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function gitTopLevel(cwd: string): string | undefined {
  const plain = plainGitRepoAbove(cwd);
  if (plain) return plain;
  // Synchronous: openRepo is, and every command starts with it.
  const result = runGitSync(cwd, ["rev-parse", "--show-toplevel"]);
  if (result.code !== 0) return undefined;
  const top = result.stdout.trim();
  return top ? realpathSync(top) : undefined;
}

/**
 * The root `findRepoRoot(cwd) ?? gitTopLevel(cwd)` gives, when it can be found without starting
 * git; undefined when git would be needed, and when the search fails (the command that then runs
 * the full search reports why).
 */
export function projectRootWithoutGit(cwd: string): string | undefined {
  try {
    return findRepoRoot(cwd) ?? plainGitRepoAbove(cwd);
  } catch {
    return undefined;
  }
}

/**
 * The top level git itself would name, found without starting git (~15 ms saved on each command
 * in a repository without trainyard.yaml): the nearest folder holding a `.git` folder with a HEAD.
 * Anything less plain — GIT_DIR, GIT_WORK_TREE or GIT_CEILING_DIRECTORIES set, a `.git` file
 * (worktrees, submodules), no `.git` at all — is left to `git rev-parse`.
 */
function plainGitRepoAbove(cwd: string): string | undefined {
  const { GIT_DIR, GIT_WORK_TREE, GIT_CEILING_DIRECTORIES } = process.env;
  if (GIT_DIR || GIT_WORK_TREE || GIT_CEILING_DIRECTORIES || !existsSync(cwd)) return undefined;
  const holder = folderHoldingGitAbove(realpathSync(resolve(cwd)));
  return holder && existsSync(join(holder, ".git", "HEAD")) ? holder : undefined;
}

/** The nearest folder at or above `dir` holding a `.git` folder or file (no git process). */
function folderHoldingGitAbove(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * The local store folder. `TRAINYARD_STORE` wins; otherwise `<root>/.trainyard/store`.
 * (Single place to extend when the store location is read from `trainyard.yaml`.)
 */
export function resolveStoreDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TRAINYARD_STORE;
  if (fromEnv) return resolve(root, fromEnv);
  return join(root, STATE_DIR_NAME, "store");
}

export function repoAt(root: string, env: NodeJS.ProcessEnv = process.env): Repo {
  const stateDir = join(root, STATE_DIR_NAME);
  return {
    root,
    stateDir,
    storeDir: resolveStoreDir(root, env),
    cacheDir: join(stateDir, "cache"),
    isGit: folderHoldingGitAbove(root) !== undefined,
  };
}

/** The repository containing `cwd`; a TrainyardError("usage") when there is none. */
export function openRepo(cwd: string, env: NodeJS.ProcessEnv = process.env): Repo {
  const root = findRepoRoot(cwd) ?? gitTopLevel(cwd);
  if (!root) {
    throw new TrainyardError(
      "usage",
      `${cwd} is not inside a Trainyard repository (no ${STATE_DIR_NAME}/ or ${CONFIG_FILE} above it, and not a git repository); run "trainyard init" first`,
    );
  }
  return repoAt(root, env);
}
