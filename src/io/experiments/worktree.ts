/**
 * Isolated git worktrees for experiments, under `<project>/.trainyard/tmp/exp/<pid>-<name>` (git-
 * ignored state; being below the project also lets the stages resolve the project's node_modules
 * or virtualenv the way they would at home). The user's working tree and index are never touched.
 * A worktree is removed when its run ends, fails, or the process is interrupted (SIGINT/SIGTERM);
 * one left by a killed process (its pid no longer alive) is removed by the next `exp` command.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { runGitSync } from "../git/index.js";

const active = new Set<{ gitRoot: string; dir: string }>();
let handlersInstalled = false;

// Synchronous: removal also runs inside SIGINT/SIGTERM handlers, just before the process exits.
function removeWorktreeSync(gitRoot: string, dir: string): void {
  runGitSync(gitRoot, ["worktree", "remove", "--force", "--force", dir]);
  rmSync(dir, { recursive: true, force: true });
  runGitSync(gitRoot, ["worktree", "prune"]);
}

/** On an interrupt, take every live worktree away before exiting with the signal's usual code. */
function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      for (const wt of active) removeWorktreeSync(wt.gitRoot, wt.dir);
      process.exit(code);
    });
  }
}

export function worktreesDir(projectRoot: string): string {
  return join(projectRoot, ".trainyard", "tmp", "exp");
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Remove worktrees whose owning process is gone (killed with SIGKILL, power loss …). */
export function removeAbandonedWorktrees(gitRoot: string, projectRoot: string): string[] {
  const dir = worktreesDir(projectRoot);
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(dir)) {
    const pid = Number(entry.split("-")[0]);
    if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) continue;
    removeWorktreeSync(gitRoot, join(dir, entry));
    removed.push(entry);
  }
  return removed;
}

export interface ExperimentWorktree {
  /** The worktree's top level. */
  dir: string;
  /** The project folder inside it (the same relative place as in the user's checkout). */
  projectDir: string;
}

/** Check out `commit` (detached) in a fresh worktree, run `fn`, and always remove the worktree. */
export async function withWorktree<T>(
  gitRoot: string,
  projectRoot: string,
  commit: string,
  label: string,
  fn: (wt: ExperimentWorktree) => Promise<T>,
): Promise<T> {
  installSignalHandlers();
  const parent = worktreesDir(projectRoot);
  await mkdir(parent, { recursive: true });
  const dir = join(parent, `${process.pid}-${label}`);
  const entry = { gitRoot, dir };
  active.add(entry);
  try {
    const added = runGitSync(gitRoot, ["worktree", "add", "--quiet", "--detach", dir, commit]);
    if (added.code !== 0)
      throw new TrainyardError("git", `cannot create a worktree for ${label}: ${added.stderr.trim()}`);
    return await fn({ dir, projectDir: join(dir, relative(gitRoot, projectRoot)) });
  } finally {
    removeWorktreeSync(gitRoot, dir);
    active.delete(entry);
  }
}
