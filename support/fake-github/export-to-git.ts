/**
 * The other half of importFromGit: what was written through the API (registry tags made with the
 * git data API, branches moved by a merge) is copied back into a real repository — as GitHub's
 * own git remote would serve it after `git fetch`. Only the objects git lacks are written, and
 * each is checked to hash to the same id, so the two sides never disagree about content.
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { TrainyardError } from "../../src/core/errors.js";
import { type GitObject, parseCommit, parseTag, parseTree } from "./git-objects.js";
import type { FakeState } from "./state.js";

const run = promisify(execFile);

/**
 * Writes the objects reachable from the given refs (default: every tag) into `gitDir` and points
 * the same refs there. Returns the refs written, name → sha.
 */
export async function exportToGit(
  state: FakeState,
  fullName: string,
  gitDir: string,
  refPrefixes: readonly string[] = ["refs/tags/"],
): Promise<Map<string, string>> {
  const repo = state.repo(fullName);
  const written = new Map<string, string>();
  for (const [ref, sha] of repo.refs) {
    if (!refPrefixes.some((prefix) => ref.startsWith(prefix))) continue;
    writeMissing(sha, (id) => repo.objects.get(id), gitDir);
    await run("git", ["update-ref", ref, sha], { cwd: gitDir });
    written.set(ref, sha);
  }
  return written;
}

function hasObject(gitDir: string, sha: string): boolean {
  try {
    execFileSync("git", ["cat-file", "-e", sha], { cwd: gitDir, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Depth-first: children before parents, so git never holds an object whose links dangle. */
function writeMissing(sha: string, lookup: (sha: string) => GitObject | undefined, gitDir: string): void {
  if (hasObject(gitDir, sha)) return;
  const object = lookup(sha);
  if (!object) throw new TrainyardError("git", `fake GitHub: object ${sha} is referenced but not stored`);
  for (const child of children(object)) writeMissing(child, lookup, gitDir);
  const id = execFileSync("git", ["hash-object", "-w", "-t", object.type, "--stdin"], {
    cwd: gitDir,
    input: object.body,
    encoding: "utf8",
  }).trim();
  if (id !== sha) throw new TrainyardError("git", `fake GitHub: object ${sha} hashed to ${id} in git`);
}

function children(object: GitObject): string[] {
  switch (object.type) {
    case "tag":
      return [parseTag(object.body).object];
    case "commit": {
      const commit = parseCommit(object.body);
      return [commit.tree, ...commit.parents];
    }
    case "tree":
      // Submodule entries (160000) point at commits of another repository.
      return parseTree(object.body)
        .filter((e) => e.mode !== "160000")
        .map((e) => e.sha);
    default:
      return [];
  }
}
