/**
 * Commits what a run produced (trainyard.lock, metrics, plots, cards) back to the branch it ran on.
 *
 * Another run may push first. Then we fetch, replay our one commit on top of theirs and push again,
 * a bounded number of times; we never force-push, so their commit always survives. When the replay
 * conflicts, the conflicted files are generated ones (our commit holds nothing else), so picking a
 * side would lose one run's lock entries: instead we move onto their commit and let the caller re-run
 * the affected stages there (`rerun`), which rewrites the lock truthfully, and commit that.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { gitCredentialEnv } from "./credential-env.js";
import { gitFailure, type GitResult, runGit } from "./run-git.js";

export interface CommitBackOptions {
  /** The git work tree. */
  readonly cwd: string;
  /** Branch on the remote to land on, e.g. `main` or the PR's head branch. */
  readonly branch: string;
  readonly remote?: string;
  /** Files to commit (relative to cwd); paths that do not exist are staged as deletions if tracked. */
  readonly paths: readonly string[];
  readonly message: string;
  readonly author?: { readonly name: string; readonly email: string };
  /** Push attempts before giving up (each lost race costs one). */
  readonly maxAttempts?: number;
  /** Wait before attempt n (n ≥ 2), so racing runs spread out. */
  readonly delayMs?: (attempt: number) => number;
  /**
   * Called after moving onto the remote's newer commit when replaying ours conflicted. It must re-run
   * the stages whose results conflicted (usually: run the stale stages) so `paths` are regenerated.
   */
  readonly rerun?: (conflicted: readonly string[]) => Promise<void>;
  /**
   * Token for pushing over HTTPS when the checkout kept no credentials (actions/checkout with
   * `persist-credentials: false`), handed to git through its environment (see git-credential-env).
   */
  readonly token?: string;
}

export interface CommitBackResult {
  /** SHA that landed on the branch, or undefined when nothing had changed. */
  readonly commit: string | undefined;
  readonly attempts: number;
  /** How many times a conflict made us re-run stages. */
  readonly reruns: number;
}

/** The identity GitHub shows for commits made with the workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT = {
  name: "github-actions[bot]",
  email: "41898282+github-actions[bot]@users.noreply.github.com",
} as const;

export async function commitBack(options: CommitBackOptions): Promise<CommitBackResult> {
  const { cwd, branch, remote = "origin", maxAttempts = 5 } = options;
  const author = options.author ?? ACTIONS_BOT;
  const delayMs = options.delayMs ?? ((attempt: number) => 250 * attempt + Math.floor(Math.random() * 250));
  const identity = commitEnv(author);
  const withCredentials = { ...identity, ...(options.token ? gitCredentialEnv(options.token) : {}) };
  // Only the commands that talk to the remote get the credential.
  const git = (args: readonly string[]) =>
    runGit(cwd, args, { env: args[0] === "push" || args[0] === "fetch" ? withCredentials : identity });

  if (!(await commitPaths(git, options))) return { commit: undefined, attempts: 0, reruns: 0 };
  let reruns = 0;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await sleep(delayMs(attempt));
    const push = await git(["push", "--porcelain", remote, `HEAD:refs/heads/${branch}`]);
    if (push.code === 0)
      return { commit: (await git(["rev-parse", "HEAD"])).stdout.trim(), attempts: attempt, reruns };
    if (!isRejectedAsBehind(push.stdout + push.stderr)) {
      throw new TrainyardError(
        "git",
        `pushing to ${remote} ${branch} failed: ${push.stderr.trim() || push.stdout.trim()}`,
      );
    }
    await mustGit(git, ["fetch", "--quiet", remote, `refs/heads/${branch}`], "fetching the newer commit");
    // Replay only our commit (HEAD~1..HEAD), which also works in a shallow checkout.
    const rebase = await git(["rebase", "--onto", "FETCH_HEAD", "HEAD~1"]);
    if (rebase.code === 0) {
      // The other run committed exactly our change: git dropped our commit, nothing is left to push.
      const [head, theirs] = await Promise.all([
        git(["rev-parse", "HEAD"]),
        git(["rev-parse", "FETCH_HEAD"]),
      ]);
      if (head.stdout.trim() === theirs.stdout.trim())
        return { commit: undefined, attempts: attempt, reruns };
      continue;
    }
    const conflicted = (await git(["diff", "--name-only", "--diff-filter=U"])).stdout
      .split("\n")
      .filter(Boolean);
    await git(["rebase", "--abort"]);
    if (!options.rerun) {
      throw new TrainyardError(
        "git",
        `another run changed ${conflicted.join(", ")} on ${branch} at the same time; re-run this workflow on the new commit`,
      );
    }
    // Their commit wins the history; our results are regenerated on top of it, never merged by hand.
    await mustGit(git, ["reset", "--keep", "FETCH_HEAD"], "moving onto the newer commit");
    await options.rerun(conflicted);
    reruns++;
    if (!(await commitPaths(git, options))) {
      return { commit: (await git(["rev-parse", "HEAD"])).stdout.trim(), attempts: attempt, reruns };
    }
  }
  throw new TrainyardError(
    "git",
    `could not push to ${remote} ${branch} after ${maxAttempts} attempts: other runs kept pushing first`,
  );
}

type Git = (args: readonly string[]) => Promise<GitResult>;

/** Stages `paths` and commits them; false when they hold no change. */
async function commitPaths(git: Git, options: CommitBackOptions): Promise<boolean> {
  // `git add` rejects a path that neither exists nor is tracked; such a path has nothing to commit.
  const tracked = (await git(["ls-files", "--", ...options.paths])).stdout.split("\n").filter(Boolean);
  const isTracked = (path: string) => tracked.some((file) => file === path || file.startsWith(`${path}/`));
  const paths = options.paths.filter((path) => existsSync(join(options.cwd, path)) || isTracked(path));
  if (paths.length === 0) return false;
  await mustGit(git, ["add", "--all", "--", ...paths], "staging the run's results");
  const staged = await git(["diff", "--cached", "--quiet", "--", ...paths]);
  if (staged.code === 0) return false;
  await mustGit(
    git,
    ["commit", "--quiet", "--no-verify", "-m", options.message, "--", ...paths],
    "committing",
  );
  return true;
}

/** git's words for "the remote moved on": plain `git push` never overwrites, we only retry on these. */
function isRejectedAsBehind(output: string): boolean {
  return /\[rejected\]|non-fast-forward|fetch first|\[remote rejected\] .*(cannot lock ref|failed to update ref)/.test(
    output,
  );
}

/** Through the caller's `git` (which carries identity and, for push and fetch, the credential), failing on a non-zero exit. */
async function mustGit(git: Git, args: readonly string[], doing: string): Promise<GitResult> {
  const result = await git(args);
  if (result.code !== 0) throw gitFailure(`${doing} failed`, args, result);
  return result;
}

function commitEnv(author: { name: string; email: string }): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_TERMINAL_PROMPT: "0",
    // A rebase must never stop to open an editor on a runner.
    GIT_EDITOR: "true",
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
