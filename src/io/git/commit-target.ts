/**
 * Where and what a run commits back: the branch (never a pull request's merge commit) and the
 * files a run changes that belong in git.
 */
import type { Config } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import { LOCK_FILE } from "../../core/file-names.js";
import { mustGit, runGit } from "./run-git.js";

/** The branch to land on; a detached pull-request merge commit must not be pushed onto the head branch. */
export async function branchToCommitTo(
  root: string,
  context: { readonly ref: string; readonly branch: string },
): Promise<string> {
  // Exit 1 means a detached HEAD: an answer, not a failure.
  const symbolic = await runGit(root, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  const head = symbolic.code === 0 ? symbolic.stdout.trim() : undefined;
  if (head) return head;
  if (context.ref.startsWith("refs/pull/")) {
    throw new TrainyardError(
      "usage",
      "the checkout is the pull request's merge commit; check out the branch itself to commit back (actions/checkout with ref set to github.head_ref) or set commit-back: false",
    );
  }
  if (!context.branch)
    throw new TrainyardError("usage", "cannot tell which branch to commit back to: HEAD is detached");
  return context.branch;
}

/** The lock, metrics, plots, cards and the .gitignore entries written for outs. */
export async function runResultPaths(
  root: string,
  config: Config,
  cards: readonly string[],
): Promise<string[]> {
  const stages = Object.values(config.stages);
  // Imported here, not at the top: it brings the stage schema (zod), and every command loads io/git.
  const { committedOutputPaths } = await import("../../core/carried-outputs.js");
  const { stdout } = await mustGit(
    root,
    ["status", "--porcelain", "--untracked-files=all", "--", "*.gitignore", ".gitignore"],
    "cannot list changed .gitignore files",
  );
  const ignores = stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => line.slice(3));
  return [...new Set([LOCK_FILE, ...stages.flatMap(committedOutputPaths), ...cards, ...ignores])];
}
