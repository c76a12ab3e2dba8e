/**
 * Real git repositories for action tests: a bare origin reached over `file://` (as a runner's
 * checkout reaches github.com) and clones of it. The origin keeps a reflog of every ref update so a
 * test can prove no push rewrote history.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export const TEST_IDENTITY = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@trainyard.invalid",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@trainyard.invalid",
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...TEST_IDENTITY } });
}

export interface GitOrigin {
  readonly root: string;
  readonly bare: string;
  readonly url: string;
  /** Clones the origin into `root/<name>` on `branch`. */
  clone(name: string, branch?: string): string;
  cleanup(): void;
}

/** What the origin's first commit holds: files by path, or a function filling the directory. */
export type Seed = Readonly<Record<string, string>> | ((dir: string) => void);

/** A bare origin on branch `main` whose first commit holds `seed`. */
export function createGitOrigin(seedWith: Seed, prefix = "ty-origin-"): GitOrigin {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const bare = join(root, "origin.git");
  git(root, "init", "--quiet", "--bare", "--initial-branch=main", bare);
  git(bare, "config", "core.logAllRefUpdates", "always");
  // The origin refuses any history rewrite, as a protected branch would.
  git(bare, "config", "receive.denyNonFastForwards", "true");
  const url = pathToFileURL(bare).href;
  const seed = join(root, "seed");
  git(root, "init", "--quiet", "--initial-branch=main", seed);
  if (typeof seedWith === "function") seedWith(seed);
  else {
    for (const [path, text] of Object.entries(seedWith)) {
      mkdirSync(dirname(join(seed, path)), { recursive: true });
      writeFileSync(join(seed, path), text);
    }
  }
  git(seed, "add", "--all");
  git(seed, "commit", "--quiet", "-m", "seed");
  git(seed, "push", "--quiet", url, "main");
  return {
    root,
    bare,
    url,
    clone(name, branch = "main") {
      const dir = join(root, name);
      git(root, "clone", "--quiet", "--branch", branch, url, dir);
      return dir;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Every (old, new) pair the origin's branch went through, oldest first, from its reflog. */
export function refUpdates(bare: string, branch = "main"): { from: string; to: string }[] {
  const lines = git(bare, "reflog", "show", "--format=%H", `refs/heads/${branch}`)
    .trim()
    .split("\n")
    .reverse();
  const updates: { from: string; to: string }[] = [];
  for (let i = 1; i < lines.length; i++) updates.push({ from: lines[i - 1]!, to: lines[i]! });
  return updates;
}

/** True when `ancestor` is reachable from `descendant`: a fast-forward, not a rewrite. */
export function isAncestor(repo: string, ancestor: string, descendant: string): boolean {
  try {
    execFileSync("git", ["merge-base", "--is-ancestor", ancestor, descendant], { cwd: repo });
    return true;
  } catch {
    return false;
  }
}
