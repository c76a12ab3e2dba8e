/**
 * The `report` action as GitHub runs it: inputs, the named steps in steps.ts, outputs
 * as outputs and a short summary of each model's verdict to the job summary.
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
import { REPORT_OUTPUTS, readReportInputs } from "./inputs.js";
import { reportPullRequest } from "./steps.js";

const ICON = { success: "✅", neutral: "⚪", failure: "❌" } as const;

export async function run(env: Env = process.env, fail: FailStep = failStep): Promise<ActionResult> {
  return runAction("report", env, fail, async () => {
    const inputs = readReportInputs(actionInputs);
    maskSecret(inputs.token);
    const context = readActionContext();
    const { pullRequest, outcome, conclusion } = await reportPullRequest(inputs, context);
    const models = outcome.kind === "published" ? outcome.models : [];
    const lines = [`### Trainyard report on pull request #${pullRequest}`, ""];
    if (outcome.kind === "no-config")
      lines.push("No `trainyard.yaml` at the head commit: nothing to report.");
    if (outcome.kind === "invalid-config")
      lines.push("`trainyard.yaml` is invalid:", ...outcome.errors.map((e) => `- ${e}`));
    for (const m of models)
      lines.push(`- ${ICON[m.conclusion]} \`${m.model}\`: ${m.conclusion} (comment ${m.commentAction})`);
    await newJobSummary().addRaw(lines.join("\n"), true).write();
    const outputs = {
      [REPORT_OUTPUTS.conclusion]: conclusion,
      [REPORT_OUTPUTS.models]: JSON.stringify(models),
    };
    if (inputs.failOnGate && conclusion === "failure") {
      // Later steps may still read the outputs (e.g. an `if: failure()` notification).
      setOutputs(outputs);
      throw new TrainyardError(
        "pipeline",
        `a gate failed on pull request #${pullRequest}; see the check run`,
      );
    }
    return outputs;
  });
}
