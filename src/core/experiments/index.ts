/** Experiments, pure: sweep grammar and grids, names and refs, commit records, the comparison table. */
export { applyParamOverrides } from "./apply-overrides.js";
export {
  type BaseFiles,
  buildExperimentTable,
  type ExperimentFiles,
  type ExperimentRow,
  type ExperimentTable,
  type ModelGates,
  parseSortSpec,
  sortExperimentRows,
} from "./build-table.js";
export {
  assertExperimentName,
  autoExperimentName,
  EXP_REF_PREFIX,
  experimentNameProblem,
  experimentRef,
  parseExperimentRef,
  sweepNames,
} from "./naming.js";
export { type ExperimentRecord, experimentCommitMessage, parseExperimentMessage } from "./record.js";
export { renderCsv, renderMarkdown, tableColumns } from "./render-table.js";
export {
  expandGrid,
  MAX_VARIANTS,
  type Overrides,
  type ParamValue,
  parseSweepArg,
  sampleGrid,
  type SweepAxis,
} from "./sweep.js";
export { diffExperiments, type ExperimentDifference } from "./diff-experiments.js";
export { type ExperimentTableInputs, experimentTableInputs } from "./table-inputs.js";
export {
  currentDispatch,
  DISPATCH_RECORD_KIND,
  type DispatchedVariant,
  type DispatchRecord,
  dispatchedVariants,
  EXPERIMENTS_EVENT,
  EXPERIMENTS_WORKFLOW,
  type ExperimentsPayload,
  experimentJobName,
  formatSetArg,
  isDispatchRecord,
  pullOfExperimentJob,
} from "./pr-dispatch.js";
export { type RankKey, rankKeyOf, rankRows, renderExperimentsComment } from "./rank-experiments.js";
export { foreignExperimentFiles, recordedExperimentFiles } from "./recorded-files.js";
export { type AppliedExperiment, appliedExperimentOf, experimentTrailer } from "./lineage.js";
export {
  EXP_QUEUE_PREFIX,
  parseQueuedMessage,
  type QueuedVariant,
  queuedCommitMessage,
  queueRef,
} from "./queue.js";
