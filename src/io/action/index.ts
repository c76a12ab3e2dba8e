/**
 * The frame every GitHub Action runs in, on `@actions/core` and `@actions/github`: the step's
 * environment, inputs, context, outputs, job summary, masking, log groups, annotations, and the
 * io use cases the run action composes.
 * What other layers may import from this folder; everything else here is internal.
 */
export { branchToCommitTo, runResultPaths } from "./commit-target.js";
export { type ActionContext, readActionContext } from "./read-action-context.js";
export { parseStepOutputs } from "./read-step-outputs.js";
export { resolveWorkingDirectory, type WorkingDirectory } from "./resolve-working-directory.js";
export { type ActionResult, failStep, type FailStep, runAction, type StepFrame } from "./run-action.js";
export { modelReportsSince, readWorkingTreeMetrics, registeredVersionOn } from "./run-report.js";
export { withStepEnvironment } from "./step-environment.js";
export {
  actionInputs,
  type Annotation,
  endLogGroup,
  type JobSummary,
  logGroup,
  logInfo,
  maskSecret,
  newJobSummary,
  setOutputs,
  startLogGroup,
} from "./toolkit.js";
