/**
 * The `deploy` action as GitHub runs it: inputs, the named steps in steps.ts, what was deployed as
 * outputs and a line to the job summary. A failed deployment fails the step (after its outputs and
 * the deployment statuses are written), so the workflow run shows red where GitHub links to it.
 */
import type { Env } from "../../src/core/action/parse-action-inputs.js";
import { TrainyardError } from "../../src/core/errors.js";
import {
  actionInputs,
  type ActionResult,
  type FailStep,
  failStep,
  maskSecret,
  newJobSummary,
  readActionContext,
  runAction,
  setOutputs,
} from "../../src/io/action/index.js";
import { DEPLOY_OUTPUTS, readDeployInputs } from "./inputs.js";
import { deployFromEvent } from "./steps.js";

export async function run(env: Env = process.env, fail: FailStep = failStep): Promise<ActionResult> {
  return runAction("deploy", env, fail, async () => {
    const inputs = readDeployInputs(actionInputs);
    maskSecret(inputs.token);
    const outcome = await deployFromEvent(inputs, readActionContext());
    const outputs = {
      [DEPLOY_OUTPUTS.model]: outcome.model,
      [DEPLOY_OUTPUTS.version]: outcome.version,
      [DEPLOY_OUTPUTS.stage]: outcome.stage,
      [DEPLOY_OUTPUTS.sha256]: outcome.sha256,
      [DEPLOY_OUTPUTS.state]: outcome.state,
      [DEPLOY_OUTPUTS.rolledBackTo]: outcome.rolledBackTo ?? "",
    };
    // Registry names (letters, digits, - _ :) and versions are safe inside HTML.
    const rollback = outcome.rolledBackTo
      ? [`rolled back to <code>${outcome.rolledBackTo}</code>: ${outcome.rollbackState}`]
      : [];
    await newJobSummary()
      .addHeading(`Trainyard deploy: <code>${outcome.model} ${outcome.version}</code> → ${outcome.stage}`, 3)
      .addList([outcome.state === "success" ? "deployed" : "failed", ...rollback])
      .write();
    if (outcome.state !== "success") {
      setOutputs(outputs);
      throw new TrainyardError(
        "deploy",
        `${outcome.problem ?? "the deployment failed"}${outcome.rolledBackTo ? `; rolled back to ${outcome.rolledBackTo} (${outcome.rollbackState})` : ""}`,
      );
    }
    return outputs;
  });
}
