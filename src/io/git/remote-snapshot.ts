/**
 * Read another repository's registry without cloning it: `git ls-remote` lists its tags, then a
 * scratch repository fetches only the wanted tags with `--depth=1 --filter=tree:0` (tag objects
 * and their commits: no history, no trees, no blobs). The scratch repository is a partial clone
 * of the remote, so reading `commit:path` later fetches just the trees on that path and that one
 * blob (git's lazy fetch; the server must allow filters, as GitHub does). Everything else in
 * src/io (listTags, readFileAt, the config readers) then works on the scratch folder unchanged.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { type GitResult, mustGit, runGit } from "./run-git.js";

export interface RemoteSnapshot {
  /** A work-tree-less scratch repository holding the fetched tags; readFileAt works on it. */
  readonly dir: string;
  readonly url: string;
  dispose(): Promise<void>;
}

function refuseUrl(url: string): void {
  // A leading "-" would be read as an option; ext:: runs a command (git refuses it by default too).
  if (url.startsWith("-") || /^ext::/i.test(url) || url.includes("\n")) {
    throw new TrainyardError("usage", `refusing repository ${JSON.stringify(url)}: not a git URL or path`);
  }
}

function fetchError(what: string, url: string, result: GitResult): TrainyardError {
  const detail = result.stderr.trim().split("\n").filter(Boolean).pop() ?? `git exited ${result.code}`;
  return new TrainyardError("git", `${what} ${url}: ${detail}`);
}

/** Tag names of a remote repository (one `git ls-remote`, no objects transferred). */
export async function lsRemoteTags(url: string, cwd = tmpdir()): Promise<string[]> {
  refuseUrl(url);
  const listed = await runGit(cwd, ["ls-remote", "--tags", "--refs", url]);
  if (listed.code !== 0) throw fetchError("cannot list the tags of", url, listed);
  return listed.stdout
    .split("\n")
    .map((line) => line.split("\t")[1]?.replace(/^refs\/tags\//, ""))
    .filter((name): name is string => !!name);
}

/** A scratch partial clone of `url` holding exactly `tags` (their commits, none of their files). */
export async function openRemoteSnapshot(url: string, tags: readonly string[]): Promise<RemoteSnapshot> {
  refuseUrl(url);
  const dir = await mkdtemp(join(tmpdir(), "trainyard-get-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await mustGit(dir, ["init", "--quiet"], "cannot create a scratch repository");
    for (const [key, value] of [
      ["core.repositoryformatversion", "1"],
      ["extensions.partialClone", "origin"],
      ["remote.origin.url", url],
      ["remote.origin.promisor", "true"],
      ["remote.origin.partialclonefilter", "tree:0"],
    ] as const) {
      await mustGit(dir, ["config", key, value], `cannot set ${key}`);
    }
    if (tags.length) {
      const specs = tags.map((t) => `+refs/tags/${t}:refs/tags/${t}`);
      const fetched = await runGit(dir, [
        "fetch",
        "--quiet",
        "--depth=1",
        "--filter=tree:0",
        "--no-tags",
        "origin",
        ...specs,
      ]);
      if (fetched.code !== 0) throw fetchError("cannot fetch registry tags from", url, fetched);
    }
    return { dir, url, dispose };
  } catch (thrown) {
    await dispose();
    throw thrown;
  }
}
