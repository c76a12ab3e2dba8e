/**
 * The git edge, on simple-git: read files at a revision, list tags with their messages in ONE
 * `git for-each-ref` call (a registry with thousands of tags answers in milliseconds), create
 * annotated tags, resolve revisions, test ancestry. Generic on purpose: other modules reuse it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { TrainyardError, errnoCode, toError } from "../../core/errors.js";
import type { TagRecord } from "../../core/registry/registry-state.js";

/** The pseudo-revision for "the files on disk now". */
export const WORKTREE = "workspace";

export function git(cwd: string): SimpleGit {
  return simpleGit({ baseDir: cwd, maxConcurrentProcesses: 4, trimmed: false });
}

function gitError(what: string, thrown: unknown): TrainyardError {
  const message = toError(thrown).message.trim().split("\n").filter(Boolean).pop() ?? "git failed";
  return new TrainyardError("git", `${what}: ${message}`, undefined, { cause: thrown });
}

/** The top of the work tree containing `cwd`. */
export async function repoRoot(cwd: string): Promise<string> {
  try {
    return (await git(cwd).revparse(["--show-toplevel"])).trim();
  } catch (thrown) {
    throw gitError(`${cwd} is not inside a git repository`, thrown);
  }
}

/** Full commit id of `rev` (branch, tag, short sha, HEAD~1 …); a clear error if it does not exist. */
export async function resolveCommit(cwd: string, rev: string): Promise<string> {
  let sha = "";
  try {
    // --quiet makes a missing revision exit 1 with no output, which simple-git reports as "".
    sha = (
      await git(cwd).raw(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`])
    ).trim();
  } catch (thrown) {
    throw gitError(`cannot resolve revision '${rev}' to a commit`, thrown);
  }
  if (!sha) throw new TrainyardError("git", `unknown revision '${rev}': expected a branch, tag or commit`);
  return sha;
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
  const g = git(root);
  // cat-file -e answers "exists?" without an error we would have to parse.
  const type = (await g.raw(["cat-file", "-t", spec]).catch(() => "")).trim();
  if (type !== "blob") return undefined;
  return g.raw(["cat-file", "blob", spec]);
}

/** True when `ancestor` is reachable from `descendant` (merge-base, since simple-git hides exit 1). */
export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const [a, d] = await Promise.all([resolveCommit(cwd, ancestor), resolveCommit(cwd, descendant)]);
  if (a === d) return true;
  const base = (
    await git(cwd)
      .raw(["merge-base", a, d])
      .catch(() => "")
  ).trim();
  return base === a;
}

/** The default branch: origin's HEAD when known, else init.defaultBranch / main / master that exists. */
export async function defaultBranch(cwd: string): Promise<string> {
  const g = git(cwd);
  const originHead = (
    await g.raw(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"]).catch(() => "")
  ).trim();
  if (originHead) return originHead.replace(/^refs\/remotes\//, "");
  const configured = (await g.raw(["config", "--get", "init.defaultBranch"]).catch(() => "")).trim();
  for (const name of [configured, "main", "master"].filter(Boolean)) {
    if (await tryResolveCommit(cwd, `refs/heads/${name}`)) return name;
  }
  return (await g.raw(["rev-parse", "--abbrev-ref", "HEAD"]).catch(() => "HEAD")).trim();
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
  const format = `${FIELDS.join("%00")}%00`;
  const out = await git(cwd)
    .raw([
      "for-each-ref",
      `--format=${format}`,
      ...(patterns.length ? patterns.map((p) => `refs/tags/${p}`) : ["refs/tags"]),
    ])
    .catch((thrown) => {
      throw gitError("cannot list tags", thrown);
    });
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
  try {
    await git(cwd).raw([
      ...identity,
      "tag",
      "--annotate",
      "--cleanup=verbatim",
      "--message",
      message,
      "--end-of-options",
      name,
      commit,
    ]);
  } catch (thrown) {
    throw gitError(`cannot create tag '${name}'`, thrown);
  }
}

/** The configured user, for "who" in tag messages. */
export async function currentIdentity(cwd: string): Promise<Identity | undefined> {
  const g = git(cwd);
  const [name, email] = await Promise.all([
    g.raw(["config", "--get", "user.name"]).catch(() => ""),
    g.raw(["config", "--get", "user.email"]).catch(() => ""),
  ]);
  return name.trim() ? { name: name.trim(), email: email.trim() } : undefined;
}

/** Paths (relative to the root) that differ between the working tree and HEAD, limited to `paths`. */
export async function changedPaths(cwd: string, paths: readonly string[] = []): Promise<string[]> {
  const out = await git(cwd).raw(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ...paths]);
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
  const out = await git(cwd).raw(["diff", "--name-only", "-z", from, to, "--", ...pathspecs]);
  return out.split("\0").filter(Boolean);
}

/** Push tags to `remote` in one `git push` (registry events are shared by pushing their tags). */
export async function pushTags(cwd: string, remote: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  try {
    await git(cwd).raw(["push", "--quiet", remote, ...names.map((n) => `refs/tags/${n}:refs/tags/${n}`)]);
  } catch (thrown) {
    throw gitError(`created ${names.join(", ")} locally but could not push to ${remote}`, thrown);
  }
}

/** Tracked files with uncommitted changes (untracked files do not block a checkout). */
export async function modifiedTrackedFiles(cwd: string): Promise<string[]> {
  const out = await git(cwd).raw(["status", "--porcelain=v1", "-z", "--untracked-files=no"]);
  return out
    .split("\0")
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
}

/** Detach HEAD at `commit` (the working tree follows). */
export async function checkoutDetached(cwd: string, commit: string): Promise<void> {
  try {
    await git(cwd).raw(["checkout", "--quiet", "--detach", commit]);
  } catch (thrown) {
    throw gitError(`cannot check out ${commit.slice(0, 12)}`, thrown);
  }
}

/** Where HEAD is now, to come back to: the branch name when on one, else the commit. */
export async function currentHeadRef(cwd: string): Promise<{ branch?: string; commit: string }> {
  const commit = await resolveCommit(cwd, "HEAD");
  const branch = (
    await git(cwd)
      .raw(["symbolic-ref", "-q", "--short", "HEAD"])
      .catch(() => "")
  ).trim();
  return branch ? { branch, commit } : { commit };
}

/** Go back to a place `currentHeadRef` returned (a branch is checked out again, not detached). */
export async function returnToHead(cwd: string, head: { branch?: string; commit: string }): Promise<void> {
  try {
    await git(cwd).raw(["checkout", "--quiet", ...(head.branch ? [head.branch] : ["--detach", head.commit])]);
  } catch (thrown) {
    throw gitError(`cannot go back to ${head.branch ?? head.commit.slice(0, 12)}`, thrown);
  }
}
