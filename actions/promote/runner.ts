/**
 * The `promote` action as GitHub runs it: inputs, the named steps in steps.ts, the
 * version and tags as outputs and a line per tag to the job summary.
 */
import type { Env } from "../../src/core/action/parse-action-inputs.js";
import {
  actionInputs,
  type ActionResult,
  type FailStep,
  failStep,
  maskSecret,
  newJobSummary,
  readActionContext,
  runAction,
} from "../../src/io/action/index.js";
import { PROMOTE_OUTPUTS, readPromoteInputs } from "./inputs.js";
import { registerAndPromote } from "./steps.js";

export async function run(env: Env = process.env, fail: FailStep = failStep): Promise<ActionResult> {
  return runAction("promote", env, fail, async () => {
    const inputs = readPromoteInputs(actionInputs);
    maskSecret(inputs.token);
    const context = readActionContext();
    const outcome = await registerAndPromote(inputs, context);
    // Tag names follow the registry grammar (letters, digits, - @ # .): safe inside HTML.
    const created = outcome.created.map((tag) => `created tag <code>${tag}</code>`);
    if (outcome.deploymentId !== undefined) created.push(`queued deployment ${outcome.deploymentId}`);
    await newJobSummary()
      .addHeading(`Trainyard registry: <code>${outcome.versionTag}</code>`, 3)
      .addList(created.length ? created : ["nothing to do: already registered"])
      .write();
    return {
      [PROMOTE_OUTPUTS.version]: outcome.version,
      [PROMOTE_OUTPUTS.versionTag]: outcome.versionTag,
      [PROMOTE_OUTPUTS.stageTag]: outcome.stageTag ?? "",
      [PROMOTE_OUTPUTS.deploymentId]: outcome.deploymentId === undefined ? "" : String(outcome.deploymentId),
    };
  });
}
