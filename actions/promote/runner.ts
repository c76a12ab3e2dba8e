/**
 * The `promote` action as GitHub runs it: inputs from `INPUT_*`, the named steps in steps.ts, the
 * version and tags to `GITHUB_OUTPUT` and a line per tag to the job summary.
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
import { PROMOTE_OUTPUTS, readPromoteInputs } from "./inputs.js";
import { registerAndPromote } from "./steps.js";

export async function run(env: Env = process.env, fail: FailStep = failStep): Promise<ActionResult> {
  return runAction("promote", env, fail, async () => {
    const inputs = readPromoteInputs(env);
    const context = await readActionContext(env);
    const outcome = await registerAndPromote(inputs, context);
    const lines = [`### Trainyard registry: \`${outcome.versionTag}\``, ""];
    lines.push(...outcome.created.map((tag) => `- created tag \`${tag}\``));
    if (outcome.created.length === 0) lines.push("- nothing to do: already registered");
    await appendJobSummary(env, lines.join("\n"));
    return {
      [PROMOTE_OUTPUTS.version]: outcome.version,
      [PROMOTE_OUTPUTS.versionTag]: outcome.versionTag,
      [PROMOTE_OUTPUTS.stageTag]: outcome.stageTag ?? "",
    };
  });
}
