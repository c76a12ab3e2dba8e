/**
 * Finding and loading the pointer files of a repository, and resolving the data path each one
 * names — refusing any that would lead outside the repository (through `..` or a symlink).
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { parsePointer, POINTER_SUFFIX, type Pointer } from "../../core/pointer.js";
import { isInsideDir } from "../../core/safe-path.js";
import { type Repo, runGitQuery, runGitSync } from "../git/index.js";

export interface TrackedData {
  /** Repo-relative POSIX path of the `.ty` file. */
  pointerFile: string;
  /** Repo-relative POSIX path of the data it names. */
  dataPath: string;
  dataAbs: string;
  pointer: Pointer;
}

export function toRepoPath(repo: Repo, abs: string): string {
  return relative(repo.root, abs).split(sep).join("/");
}

const POINTER_LISTING = [
  "ls-files",
  "-z",
  "--cached",
  "--others",
  "--exclude-standard",
  "--",
  `*${POINTER_SUFFIX}`,
];

/** Every pointer file in the working tree (git: tracked or untracked-not-ignored), sorted. */
export function findPointerFiles(repo: Repo): string[] {
  if (repo.isGit) {
    // Synchronous like the walk it replaces: the data commands list pointers before anything else.
    const result = runGitSync(repo.root, POINTER_LISTING);
    if (result.code === 0) return pointersListed(repo, result.stdout);
  }
  return pointersByWalk(repo);
}

/**
 * The same list, with git running in the background: `status` starts it first and does the
 * pipeline's part meanwhile (listing takes git ~60 ms when the data folders are tracked by git).
 */
export async function listPointerFiles(repo: Repo): Promise<string[]> {
  if (repo.isGit) {
    const result = await runGitQuery(repo.root, POINTER_LISTING);
    if (result.code === 0) return pointersListed(repo, result.stdout);
  }
  return pointersByWalk(repo);
}

function pointersListed(repo: Repo, stdout: string): string[] {
  const files = new Set(stdout.split("\0").filter((f) => f.endsWith(POINTER_SUFFIX)));
  return [...files].filter((f) => isRegularFile(join(repo.root, f))).sort();
}

function pointersByWalk(repo: Repo): string[] {
  const found: string[] = [];
  walkForPointers(repo.root, "", found);
  return found.sort();
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const SKIP_DIRS = new Set([".git", ".trainyard", "node_modules"]);

function walkForPointers(root: string, rel: string, found: string[]): void {
  const entries = readdirSync(rel ? join(root, rel) : root, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  for (const entry of entries) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      // A folder named by a sibling pointer is data: nothing to find inside it.
      if (!SKIP_DIRS.has(entry.name) && !names.has(`${entry.name}${POINTER_SUFFIX}`))
        walkForPointers(root, childRel, found);
    } else if (entry.isFile() && entry.name.endsWith(POINTER_SUFFIX)) found.push(childRel);
  }
}

/** Parse a pointer and resolve its data path safely. */
export function loadTrackedData(repo: Repo, pointerFile: string): TrackedData {
  const pointerAbs = join(repo.root, pointerFile);
  let text: string;
  try {
    text = readFileSync(pointerAbs, "utf8");
  } catch {
    throw new TrainyardError("missing", `pointer file ${pointerFile} cannot be read`);
  }
  const pointer = parsePointer(text, pointerFile);
  const dataAbs = join(dirname(pointerAbs), pointer.path);
  assertDataPathInside(repo, dataAbs, pointerFile);
  return { pointerFile, dataPath: toRepoPath(repo, dataAbs), dataAbs, pointer };
}

/** The data path must resolve inside the repo (no symlinked folder leading out) and not be a symlink. */
export function assertDataPathInside(repo: Repo, dataAbs: string, source: string): void {
  const root = realpathSync(repo.root);
  const parent = existingAncestor(dirname(dataAbs));
  const realParent = realpathSync(parent);
  if (!isInsideDir(root, realParent)) {
    throw new TrainyardError(
      "path",
      `${source}: ${toRepoPath(repo, dataAbs)} resolves outside the repository (through a symbolic link)`,
    );
  }
  const rel = toRepoPath(repo, dataAbs);
  if (rel === "" || rel.startsWith("..") || rel.split("/").some((s) => s === ".git" || s === ".trainyard")) {
    throw new TrainyardError("path", `${source}: ${rel || "."} is not a data path inside the working tree`);
  }
  try {
    if (lstatSync(dataAbs).isSymbolicLink()) {
      throw new TrainyardError(
        "path",
        `${source}: ${rel} is a symbolic link; Trainyard tracks regular files and folders only`,
      );
    }
  } catch (thrown) {
    if (thrown instanceof TrainyardError) throw thrown;
  }
}

function existingAncestor(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/**
 * Map CLI targets (data paths, pointer files or folders holding pointers) to pointer files.
 * No targets means every pointer in the repository.
 */
export function resolvePointerTargets(
  repo: Repo,
  cwd: string,
  targets: readonly string[],
  all: readonly string[] = findPointerFiles(repo),
): string[] {
  if (targets.length === 0) return [...all];
  const chosen = new Set<string>();
  for (const target of targets) {
    const abs = resolve(cwd, target);
    const rel = toRepoPath(repo, abs);
    if (rel.startsWith(".."))
      throw new TrainyardError("path", `${target} is outside the repository ${repo.root}`);
    const candidates = rel.endsWith(POINTER_SUFFIX) ? [rel] : [`${rel}${POINTER_SUFFIX}`];
    const direct = candidates.find((c) => all.includes(c) || existsSync(join(repo.root, c)));
    if (direct) {
      chosen.add(direct);
      continue;
    }
    const inside = all.filter((p) => rel === "" || p.startsWith(`${rel}/`));
    if (inside.length === 0) {
      throw new TrainyardError(
        "usage",
        `no pointer for ${target}: expected ${basename(target)}${POINTER_SUFFIX} or a folder containing pointers`,
      );
    }
    for (const p of inside) chosen.add(p);
  }
  return [...chosen].sort();
}
