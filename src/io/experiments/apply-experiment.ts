/**
 * `exp apply`: bring an experiment into the working tree without running anything. The files the
 * experiment commit changed (params, lock, metrics, plots, .gitignore entries) are written from git;
 * the outs its lock names are restored from the store, verified. Uncommitted edits to those files
 * are not overwritten unless forced.
 */
import { mkdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { LOCK_FILE, type Lock, parseLock, storedOuts } from "../../core/lock.js";
import { isOid } from "../../core/oid.js";
import { foreignExperimentFiles } from "../../core/experiments/index.js";
import { loadConfig } from "../config/index.js";
import { writeFileAtomic } from "../fs/index.js";
import { changedPaths, mustGit, type Repo } from "../git/index.js";
import { restoreLockOutputs } from "../pipeline/index.js";
import { assertDataPathInside, LocalStore } from "../store/index.js";
import type { ExperimentRef } from "./experiment-refs.js";
import { catFileBatch } from "../git/index.js";

export interface ApplyResult {
  /** Project-relative files written from the experiment commit. */
  written: string[];
  /** Outs restored from the store. */
  restored: string[];
}

/** Files (relative to the git top level) the experiment commit changed, limited to the project. */
async function changedByExperiment(
  gitRoot: string,
  projectPrefix: string,
  commit: string,
): Promise<string[]> {
  const { stdout } = await mustGit(
    gitRoot,
    ["diff-tree", "--no-commit-id", "-r", "-z", "--name-only", "--diff-filter=AMT", commit],
    `cannot list what experiment commit ${commit.slice(0, 12)} changed`,
  );
  return stdout
    .split("\0")
    .filter(Boolean)
    .filter((p) => projectPrefix === "" || p.startsWith(`${projectPrefix}/`));
}

export async function applyExperiment(
  repo: Repo,
  gitRoot: string,
  exp: ExperimentRef,
  options: { force: boolean },
): Promise<ApplyResult> {
  const prefix = relative(gitRoot, repo.root).split("\\").join("/");
  const files = await changedByExperiment(gitRoot, prefix, exp.commit);
  const projectFiles = files.map((f) => (prefix ? f.slice(prefix.length + 1) : f));
  // An experiment records params, lock, metrics, plots and .gitignore entries; a commit under the
  // ref that changes anything else (code, config) was not made by `exp run`, so it is not applied
  // blindly (a pulled ref is someone else's text).
  const { config } = await loadConfig(repo.root);
  const foreign = foreignExperimentFiles(config, projectFiles);
  if (foreign.length) {
    throw new TrainyardError(
      "usage",
      `experiment ${exp.name} changes ${foreign.join(", ")}, which exp run never records; review it with \`trainyard exp branch ${exp.name} <branch>\` instead. Nothing was changed.`,
    );
  }
  if (!options.force) {
    const dirty = await changedPaths(repo.root, projectFiles);
    if (dirty.length) {
      throw new TrainyardError(
        "usage",
        `exp apply would overwrite uncommitted changes in ${dirty.join(", ")}; commit or stash them, or pass --force`,
      );
    }
  }
  const texts = await catFileBatch(
    gitRoot,
    files.map((f) => `${exp.commit}:${f}`),
  );
  // Refuse before writing anything when an out is not here to restore.
  const lockText = texts[projectFiles.indexOf(LOCK_FILE)];
  if (lockText !== undefined) assertOutsInStore(repo, exp, parseLock(lockText, `${exp.name}:${LOCK_FILE}`));
  for (const [i, file] of projectFiles.entries()) {
    const abs = join(repo.root, file);
    // The one guard for writes into the tree: no symlink may redirect a write outside it.
    assertDataPathInside(repo, abs, `experiment ${exp.name}`);
    const text = texts[i];
    if (text === undefined)
      throw new TrainyardError(
        "git",
        `experiment ${exp.name}: cannot read ${file} from ${exp.commit.slice(0, 12)}`,
      );
    await mkdir(dirname(abs), { recursive: true });
    await writeFileAtomic(abs, text);
  }
  const restored = await restoreLockOutputs(repo);
  return { written: projectFiles, restored };
}

function assertOutsInStore(repo: Repo, exp: ExperimentRef, lock: Lock): void {
  const store = new LocalStore(repo.storeDir);
  const missing = Object.values(lock.stages)
    .flatMap((stage) => storedOuts(stage))
    .filter((out) => !isOid(out.hash) || !store.has(out.hash));
  if (missing.length) {
    throw new TrainyardError(
      "missing",
      `experiment ${exp.name}: ${missing.map((m) => m.path).join(", ")} not in the local store; fetch them with \`trainyard exp pull\` (from a store remote) first. Nothing was changed.`,
    );
  }
}
