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
import { TrainyardError, toError } from "../../core/errors.js";
import { git } from "./git.js";

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

function fetchError(what: string, url: string, thrown: unknown): TrainyardError {
  const detail = toError(thrown).message.trim().split("\n").filter(Boolean).pop() ?? "git failed";
  return new TrainyardError("git", `${what} ${url}: ${detail}`, undefined, { cause: thrown });
}

/** Tag names of a remote repository (one `git ls-remote`, no objects transferred). */
export async function lsRemoteTags(url: string, cwd = tmpdir()): Promise<string[]> {
  refuseUrl(url);
  const out = await git(cwd)
    .raw(["ls-remote", "--tags", "--refs", url])
    .catch((thrown: unknown) => {
      throw fetchError("cannot list the tags of", url, thrown);
    });
  return out
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
    const g = git(dir);
    await g.raw(["init", "--quiet"]);
    for (const [key, value] of [
      ["core.repositoryformatversion", "1"],
      ["extensions.partialClone", "origin"],
      ["remote.origin.url", url],
      ["remote.origin.promisor", "true"],
      ["remote.origin.partialclonefilter", "tree:0"],
    ] as const) {
      await g.raw(["config", key, value]);
    }
    if (tags.length) {
      const specs = tags.map((t) => `+refs/tags/${t}:refs/tags/${t}`);
      await g
        .raw(["fetch", "--quiet", "--depth=1", "--filter=tree:0", "--no-tags", "origin", ...specs])
        .catch((thrown: unknown) => {
          throw fetchError("cannot fetch registry tags from", url, thrown);
        });
    }
    return { dir, url, dispose };
  } catch (thrown) {
    await dispose();
    throw thrown;
  }
}
