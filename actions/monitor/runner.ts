/**
 * The `monitor` action as GitHub runs it: inputs, then the named steps in steps.ts,
 * then its outputs and the report to the job summary.
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
import { MONITOR_OUTPUTS, readMonitorInputs } from "./inputs.js";
import { monitorAndAlert } from "./steps.js";

export async function run(env: Env = process.env, fail: FailStep = failStep): Promise<ActionResult> {
  return runAction("monitor", env, fail, async () => {
    const inputs = readMonitorInputs(actionInputs);
    maskSecret(inputs.token);
    const context = readActionContext();
    const outcome = await monitorAndAlert(inputs, context);
    const { issue } = outcome;
    const alerted = [
      issue ? `${issue.created ? "Opened" : "Updated"} issue [#${issue.number}](${issue.url}).` : "",
      outcome.dispatched ? "Sent `repository_dispatch` `trainyard-retrain`." : "",
    ].filter(Boolean);
    await newJobSummary()
      .addRaw([outcome.markdown, ...alerted].join("\n\n"), true)
      .write();
    return {
      [MONITOR_OUTPUTS.breached]: String(outcome.breached),
      [MONITOR_OUTPUTS.issueNumber]: issue ? String(issue.number) : "",
      [MONITOR_OUTPUTS.dispatched]: String(outcome.dispatched),
      [MONITOR_OUTPUTS.report]: outcome.markdown,
    };
  });
}
