/**
 * The frame every GitHub Action runs in, on `@actions/core` and `@actions/github`: the step's
 * environment, inputs, context, outputs, job summary, masking, log groups and annotations.
 * What other layers may import from this folder; everything else here is internal.
 */
export { type ActionContext, readActionContext } from "./read-action-context.js";
export { parseStepOutputs } from "./read-step-outputs.js";
export { resolveWorkingDirectory, type WorkingDirectory } from "./resolve-working-directory.js";
export { type ActionResult, failStep, type FailStep, runAction, type StepFrame } from "./run-action.js";
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
