/**
 * The data roots referenced by chosen commits: every pointer file and the outs of `trainyard.lock`
 * in those trees. Blobs are read through one `git cat-file --batch` process, so a history with
 * many pointer versions costs one git call per commit listing plus one read.
 */
import { TrainyardError } from "../../core/errors.js";
import { LOCK_FILE, parseLock } from "../../core/lock.js";
import { parsePointer, POINTER_SUFFIX } from "../../core/pointer.js";
import { mustGit, type Repo, runGit } from "../git/index.js";
import { type DataRoot, depRootsFromLock, rootFromPointer, rootsFromLock } from "./data-roots.js";

export interface CommitChoice {
  allBranches?: boolean;
  allTags?: boolean;
  /** Every commit reachable from any ref (`git rev-list --all`), as DVC's `gc --all-commits`. */
  allCommits?: boolean;
}

async function gitLines(root: string, args: string[]): Promise<string[]> {
  const run = await mustGit(root, args, `git ${args.join(" ")} failed`);
  return run.stdout.split("\n").filter((l) => l !== "");
}

/** HEAD (when there is a commit), plus every branch tip and/or tagged commit when asked. */
export async function chooseCommits(repo: Repo, choice: CommitChoice): Promise<string[]> {
  if (!repo.isGit) return [];
  const commits = new Set<string>();
  // A repository without commits has no HEAD: exit 1, nothing to add.
  const head = await runGit(repo.root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  if (head.code === 0 && head.stdout.trim()) commits.add(head.stdout.trim());
  const refs = [...(choice.allBranches ? ["refs/heads"] : []), ...(choice.allTags ? ["refs/tags"] : [])];
  if (refs.length > 0) {
    // %(*objectname) is the commit an annotated tag points at; lightweight refs leave it empty.
    for (const line of await gitLines(repo.root, [
      "for-each-ref",
      "--format=%(objectname) %(*objectname) %(*objecttype) %(objecttype)",
      ...refs,
    ])) {
      const [sha, peeled, peeledType, type] = line.split(" ");
      if (peeled && peeledType === "commit") commits.add(peeled);
      else if (type === "commit" && sha) commits.add(sha);
    }
  }
  if (choice.allCommits) {
    for (const sha of await gitLines(repo.root, ["rev-list", "--all"])) commits.add(sha);
  }
  return [...commits];
}

async function readBlobs(root: string, shas: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (shas.length === 0) return out;
  const batch = await mustGit(root, ["cat-file", "--batch"], "git cat-file --batch failed", {
    input: `${shas.join("\n")}\n`,
  });
  // Sizes are in bytes; the runner decodes UTF-8, which re-encodes to the same bytes for text
  // (pointers and locks). A blob that is not UTF-8 shifts the offsets and fails the type check below.
  const data = Buffer.from(batch.stdout, "utf8");
  let at = 0;
  for (const sha of shas) {
    const eol = data.indexOf(10, at);
    const [, type, size] = data.subarray(at, eol).toString("utf8").split(" ");
    if (type !== "blob") throw new TrainyardError("git", `git object ${sha} is not a blob`);
    const length = Number(size);
    out.set(sha, data.subarray(eol + 1, eol + 1 + length).toString("utf8"));
    at = eol + 1 + length + 1;
  }
  return out;
}

/** Roots referenced by the pointer files and lock of each commit (project folder = repo.root). */
export async function rootsAtCommits(
  repo: Repo,
  commits: readonly string[],
  /** Filled with the stage fingerprints those locks name (run records gc keeps). */
  lockFingerprints?: Set<string>,
): Promise<DataRoot[]> {
  const files: { commit: string; path: string; blob: string }[] = [];
  for (const commit of commits) {
    // Run in the project folder: paths come back relative to it, as pointers are.
    const listing = await mustGit(
      repo.root,
      ["ls-tree", "-r", "-z", commit, "--", "."],
      `git ls-tree ${commit} failed`,
    );
    for (const entry of listing.stdout.split("\0")) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
      const blob = match?.[1];
      const path = match?.[2];
      if (blob && path && (path.endsWith(POINTER_SUFFIX) || path === LOCK_FILE))
        files.push({ commit, path, blob });
    }
  }
  const texts = await readBlobs(repo.root, [...new Set(files.map((f) => f.blob))]);
  const roots: DataRoot[] = [];
  for (const file of files) {
    const text = texts.get(file.blob) ?? "";
    const source = `${file.commit.slice(0, 12)}:${file.path}`;
    // A pointer that does not parse refuses gc (it may reference data we must keep).
    if (file.path === LOCK_FILE) {
      const lock = parseLock(text, source);
      for (const stage of Object.values(lock.stages)) lockFingerprints?.add(stage.fingerprint);
      roots.push(...rootsFromLock(lock, source), ...depRootsFromLock(lock, source));
    } else {
      const folder = file.path.includes("/") ? file.path.slice(0, file.path.lastIndexOf("/") + 1) : "";
      const pointer = parsePointer(text, source);
      roots.push(rootFromPointer(pointer, source, `${folder}${pointer.path}`));
    }
  }
  return roots;
}
