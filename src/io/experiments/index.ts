/**
 * Experiments: variants of the pipeline run in isolated worktrees and kept as commits under
 * `refs/trainyard/exp/<base>/<name>`.
 * What other layers may import from this folder; everything else here is internal.
 */
export { findExperiment, listExperimentRefs, type ExperimentRef } from "./experiment-refs.js";
export { type ExperimentOutcome, type ExperimentVariant, runExperiments } from "./run-experiment.js";
export { removeAbandonedWorktrees } from "./worktree.js";
export { readExperimentTable } from "./read-experiments.js";
