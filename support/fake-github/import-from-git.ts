/**
 * Copies a real local repository's objects and refs into the fake, so the bot reads, through the
 * contents and blobs APIs, exactly the files a pipeline run committed. Re-import after new commits
 * (it is idempotent): objects are added, the given refs are moved.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { GitObjectType } from "./git-objects.js";
import type { FakeState } from "./state.js";

const run = promisify(execFile);

/**
 * @param refs which refs to publish (`refs/heads/…`, `refs/tags/…`); default: all branches and tags.
 * @returns the refs set, name → sha.
 */
export async function importFromGit(
  state: FakeState,
  fullName: string,
  dir: string,
  refs?: string[],
): Promise<Map<string, string>> {
  const repo = state.repo(fullName);
  const { stdout: batch } = await run("git", ["cat-file", "--batch-all-objects", "--batch", "--unordered"], {
    cwd: dir,
    encoding: "buffer",
    maxBuffer: 1 << 30,
  });
  // Output: "<sha> <type> <size>\n<body>\n" repeated.
  let at = 0;
  while (at < batch.length) {
    const newline = batch.indexOf(0x0a, at);
    const [, type, size] = batch.toString("latin1", at, newline).split(" ");
    const start = newline + 1;
    const end = start + Number(size);
    state.addObject(repo, type as GitObjectType, Buffer.from(batch.subarray(start, end)));
    at = end + 1;
  }

  const { stdout: listing } = await run(
    "git",
    ["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags", "refs/trainyard"],
    {
      cwd: dir,
    },
  );
  const published = new Map<string, string>();
  for (const line of listing.split("\n").filter(Boolean)) {
    const [sha, name] = line.split(" ") as [string, string];
    if (refs && !refs.includes(name)) continue;
    repo.refs.set(name, sha);
    published.set(name, sha);
  }
  return published;
}
