/**
 * Git operations on top of the one runner (run-git.ts): read files at a revision, list tags with
 * their messages in ONE `git for-each-ref` call (a registry with thousands of tags answers in
 * milliseconds), create annotated tags, resolve revisions, test ancestry.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { TrainyardError, errnoCode } from "../../core/errors.js";
import type { TagRecord } from "../../core/registry/registry-state.js";
import { startEarlyGitQuery } from "./early-git-query.js";
import { gitFailure, mustGit, runGit, runGitQuery } from "./run-git.js";

/** The pseudo-revision for "the files on disk now". */
export const WORKTREE = "workspace";

/** Full commit id of `rev` (branch, tag, short sha, HEAD~1 …); a clear error if it does not exist. */
export async function resolveCommit(cwd: string, rev: string): Promise<string> {
  const args = ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`];
  const result = await runGit(cwd, args);
  // --quiet: a missing revision exits 1 and says nothing; anything else is git failing.
  if (result.code === 1 && !result.stderr.trim()) {
    throw new TrainyardError("git", `unknown revision '${rev}': expected a branch, tag or commit`);
  }
  if (result.code !== 0 || !result.stdout.trim()) {
    throw new TrainyardError(
      "git",
      `cannot resolve revision '${rev}' to a commit: ${result.stderr.trim() || `git exited ${result.code}`}`,
    );
  }
  return result.stdout.trim();
}

/** Like resolveCommit, but undefined instead of an error (e.g. HEAD in a repo with no commits). */
export async function tryResolveCommit(cwd: string, rev: string): Promise<string | undefined> {
  try {
    return await resolveCommit(cwd, rev);
  } catch {
    return undefined;
  }
}

/**
 * Text of `file` (relative to `root`, which may be a folder inside the repository) at `rev`, or
 * in the working tree when `rev` is WORKTREE. Undefined when the file does not exist there.
 */
export async function readFileAt(root: string, rev: string, file: string): Promise<string | undefined> {
  if (rev === WORKTREE) {
    try {
      return await readFile(path.join(root, file), "utf8");
    } catch (thrown) {
      if (errnoCode(thrown) === "ENOENT" || errnoCode(thrown) === "ENOTDIR") return undefined;
      throw thrown;
    }
  }
  // `rev:./path` is resolved against the working directory, so projects in subfolders work.
  const spec = `${rev}:./${file.split(path.sep).join("/")}`;
  // A path that does not exist at `rev` (or is a folder) is absent, not a failure.
  const type = await runGit(root, ["cat-file", "-t", spec]);
  if (type.code !== 0 || type.stdout.trim() !== "blob") return undefined;
  return (await mustGit(root, ["cat-file", "blob", spec], `cannot read ${file} at ${rev}`)).stdout;
}

/** True when `ancestor` is reachable from `descendant`. */
export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const [a, d] = await Promise.all([resolveCommit(cwd, ancestor), resolveCommit(cwd, descendant)]);
  const args = ["merge-base", "--is-ancestor", a, d];
  // Exit 0: yes; 1: no; anything else is a failure to report.
  const result = await runGit(cwd, args);
  if (result.code === 0 || result.code === 1) return result.code === 0;
  throw new TrainyardError(
    "git",
    `cannot compare ${a.slice(0, 12)} and ${d.slice(0, 12)}: ${result.stderr.trim()}`,
  );
}

/** The default branch: origin's HEAD when known, else init.defaultBranch / main / master that exists. */
export async function defaultBranch(cwd: string): Promise<string> {
  // Each of these may legitimately be unset; only an answer (exit 0) counts.
  const answer = async (args: string[]) => {
    const result = await runGit(cwd, args);
    return result.code === 0 ? result.stdout.trim() : "";
  };
  const originHead = await answer(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"]);
  if (originHead) return originHead.replace(/^refs\/remotes\//, "");
  const configured = await answer(["config", "--get", "init.defaultBranch"]);
  for (const name of [configured, "main", "master"].filter(Boolean)) {
    if (await tryResolveCommit(cwd, `refs/heads/${name}`)) return name;
  }
  return (await answer(["rev-parse", "--abbrev-ref", "HEAD"])) || "HEAD";
}

const FIELDS = [
  "%(refname:strip=2)",
  "%(objecttype)",
  "%(objectname)",
  "%(*objectname)",
  "%(taggername) %(taggeremail)",
  "%(taggerdate:unix)",
  "%(contents)",
] as const;

/**
 * Every tag (or those matching `patterns`, e.g. `iris@*`) with its commit, tagger, date and
 * message, from a single `git for-each-ref` process. Fields are NUL-separated, so messages may
 * contain anything but NUL.
 */
export async function listTags(cwd: string, patterns: readonly string[] = []): Promise<TagRecord[]> {
  const args = listTagsArgs(patterns);
  const result = await runGitQuery(cwd, args);
  if (result.code !== 0) throw gitFailure("cannot list tags", args, result);
  const out = result.stdout;
  const parts = out.split("\0");
  const records: TagRecord[] = [];
  for (let i = 0; i + FIELDS.length <= parts.length; i += FIELDS.length) {
    const [rawName, type, object, peeled, tagger, date, contents] = parts.slice(
      i,
      i + FIELDS.length,
    ) as string[];
    const name = (rawName as string).replace(/^\n/, "");
    if (!name) continue;
    const annotated = type === "tag";
    const commit = annotated ? (peeled as string) : (object as string);
    const who = (tagger as string).trim();
    records.push({
      name,
      commit,
      annotated,
      date: Number(date) || 0,
      ...(annotated && who ? { tagger: who } : {}),
      ...(annotated ? { message: contents as string } : {}),
    });
  }
  return records;
}

function listTagsArgs(patterns: readonly string[]): string[] {
  return [
    "for-each-ref",
    `--format=${FIELDS.join("%00")}%00`,
    ...(patterns.length ? patterns.map((p) => `refs/tags/${p}`) : ["refs/tags"]),
  ];
}

/**
 * Start the git query of `listTags(cwd)` (every tag) now, before the code that reads it has
 * loaded; that listTags call then takes its result instead of starting git itself.
 */
export function startListingTags(cwd: string): void {
  startEarlyGitQuery(cwd, listTagsArgs([]));
}

export interface Identity {
  name: string;
  email: string;
}

/** Create an annotated tag; fails if it exists. The message is kept verbatim (no '#' stripping). */
export async function createAnnotatedTag(
  cwd: string,
  name: string,
  commit: string,
  message: string,
  tagger?: Identity,
): Promise<void> {
  // The tagger is the committer identity; `-c` sets it for this call only (simple-git refuses
  // a custom environment that still carries EDITOR and similar variables).
  const identity = tagger ? ["-c", `user.name=${tagger.name}`, "-c", `user.email=${tagger.email}`] : [];
  await mustGit(
    cwd,
    [
      ...identity,
      "tag",
      "--annotate",
      "--cleanup=verbatim",
      "--message",
      message,
      "--end-of-options",
      name,
      commit,
    ],
    `cannot create tag '${name}'`,
  );
}

/** The configured user, for "who" in tag messages. */
export async function currentIdentity(cwd: string): Promise<Identity | undefined> {
  // `config --get` exits 1 when the key is unset: no identity, not a failure.
  const [name, email] = (
    await Promise.all([
      runGit(cwd, ["config", "--get", "user.name"]),
      runGit(cwd, ["config", "--get", "user.email"]),
    ])
  ).map((r) => (r.code === 0 ? r.stdout.trim() : ""));
  return name ? { name, email: email ?? "" } : undefined;
}

/** Paths (relative to the root) that differ between the working tree and HEAD, limited to `paths`. */
export async function changedPaths(cwd: string, paths: readonly string[] = []): Promise<string[]> {
  const args = ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...paths];
  const { stdout: out } = await mustGit(cwd, args, "cannot list changed files");
  return out
    .split("\0")
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
}

/** Files changed between two commits, optionally limited to pathspecs such as `*.ty`. */
export async function diffNames(
  cwd: string,
  from: string,
  to: string,
  pathspecs: readonly string[] = [],
): Promise<string[]> {
  const args = ["diff", "--name-only", "-z", from, to, "--", ...pathspecs];
  return (await mustGit(cwd, args, "cannot list changed files")).stdout.split("\0").filter(Boolean);
}

/** Push tags to `remote` in one `git push` (registry events are shared by pushing their tags). */
export async function pushTags(cwd: string, remote: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const refspecs = names.map((n) => `refs/tags/${n}:refs/tags/${n}`);
  await mustGit(
    cwd,
    ["push", "--quiet", remote, ...refspecs],
    `created ${names.join(", ")} locally but could not push to ${remote}`,
  );
}

/** Tracked files with uncommitted changes (untracked files do not block a checkout). */
export async function modifiedTrackedFiles(cwd: string): Promise<string[]> {
  const args = ["status", "--porcelain=v1", "-z", "--untracked-files=no"];
  const { stdout: out } = await mustGit(cwd, args, "cannot list modified files");
  return out
    .split("\0")
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
}

/** Detach HEAD at `commit` (the working tree follows). */
export async function checkoutDetached(cwd: string, commit: string): Promise<void> {
  await mustGit(cwd, ["checkout", "--quiet", "--detach", commit], `cannot check out ${commit.slice(0, 12)}`);
}

/** Where HEAD is now, to come back to: the branch name when on one, else the commit. */
export async function currentHeadRef(cwd: string): Promise<{ branch?: string; commit: string }> {
  const commit = await resolveCommit(cwd, "HEAD");
  // Exit 1 means a detached HEAD: an answer, not a failure.
  const symbolic = await runGit(cwd, ["symbolic-ref", "-q", "--short", "HEAD"]);
  const branch = symbolic.code === 0 ? symbolic.stdout.trim() : "";
  return branch ? { branch, commit } : { commit };
}

/** Go back to a place `currentHeadRef` returned (a branch is checked out again, not detached). */
export async function returnToHead(cwd: string, head: { branch?: string; commit: string }): Promise<void> {
  await mustGit(
    cwd,
    ["checkout", "--quiet", ...(head.branch ? [head.branch] : ["--detach", head.commit])],
    `cannot go back to ${head.branch ?? head.commit.slice(0, 12)}`,
  );
}
