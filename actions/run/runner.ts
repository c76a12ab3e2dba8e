/**
 * The `run` action as GitHub runs it: inputs from `INPUT_*`, the named steps in steps.ts, the stages
 * that ran, the metrics and the registry version to `GITHUB_OUTPUT`, the report to the job summary.
 */
import type { Env } from "../../src/core/action/parse-action-inputs.js";
import {
  type ActionResult,
  appendJobSummary,
  type FailStep,
  failStep,
  readActionContext,
  runAction,
} from "../../src/io/action/index.js";
import { RUN_OUTPUTS, readRunInputs } from "./inputs.js";
import { runAndCommit } from "./steps.js";

export async function run(env: Env = process.env, fail: FailStep = failStep): Promise<ActionResult> {
  return runAction("run", env, fail, async () => {
    const inputs = readRunInputs(env);
    const context = await readActionContext(env);
    const outcome = await runAndCommit(inputs, context);
    await appendJobSummary(env, outcome.summary);
    return {
      [RUN_OUTPUTS.stagesRan]: JSON.stringify(outcome.stagesRan),
      [RUN_OUTPUTS.metrics]: JSON.stringify(outcome.metrics),
      [RUN_OUTPUTS.registryVersion]: outcome.registryVersion ?? "",
      [RUN_OUTPUTS.commit]: outcome.commit ?? "",
    };
  });
}
