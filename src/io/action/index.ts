/**
 * The frame every GitHub Action runs in: context, outputs, job summary, failing a step.
 * What other layers may import from this folder; everything else here is internal.
 */
export { type ActionContext, readActionContext } from "./read-action-context.js";
export { type ActionResult, failStep, type FailStep, logGroup, runAction } from "./run-action.js";
export { appendJobSummary, parseActionOutputs, writeActionOutputs } from "./write-action-outputs.js";
