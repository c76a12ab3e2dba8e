/**
 * Experiments: variants of the pipeline run in isolated worktrees and kept as commits under
 * `refs/trainyard/exp/<base>/<name>`.
 * What other layers may import from this folder; everything else here is internal.
 */
export { type ApplyResult, applyExperiment } from "./apply-experiment.js";
export {
  branchFromExperiment,
  deleteExperimentRef,
  type ExperimentRef,
  findExperiment,
  listExperimentRefs,
} from "./experiment-refs.js";
export { readExperimentTable } from "./read-experiments.js";
export { type ExperimentOutcome, type ExperimentVariant, runExperiments } from "./run-experiment.js";
export { experimentLocks, fetchExperimentRefs, pushExperimentRefs } from "./share-experiments.js";
export { removeAbandonedWorktrees } from "./worktree.js";
export { dequeue, listQueued, type QueuedEntry, queueVariants } from "./experiment-queue.js";
