/**
 * Which experiment a revision's `trainyard.lock` came from: the last commit that changed the lock
 * (at or before `rev`) names it in its `Trainyard-Experiment` trailer when it was an `exp apply`.
 * A later run that rewrote the lock is a later commit without the trailer, so the answer follows
 * the lock, not the branch.
 */
// The module itself, not the folder index: the index brings the YAML parser and every command loads io/git.
import { type AppliedExperiment, appliedExperimentOf } from "../../core/experiments/lineage.js";
import { LOCK_FILE } from "../../core/file-names.js";
import { runGit } from "./run-git.js";

export async function appliedExperimentAt(
  projectRoot: string,
  rev = "HEAD",
): Promise<AppliedExperiment | undefined> {
  // No commit yet, or an unknown revision: no experiment, the same as a lock written by a run.
  const log = await runGit(projectRoot, [
    "log",
    "-1",
    "--format=%B",
    "--end-of-options",
    rev,
    "--",
    LOCK_FILE,
  ]);
  return log.code === 0 ? appliedExperimentOf(log.stdout) : undefined;
}
