/**
 * The `run` action as GitHub runs it: inputs, the named steps in steps.ts, the stages that ran,
 * the metrics and the registry version as outputs, the report to the job summary.
 */
import { renderStagesSection } from "../../src/core/report/stages-section.js";
import type { Env } from "../../src/core/action/parse-action-inputs.js";
import {
  actionInputs,
  type ActionResult,
  type FailStep,
  failStep,
  maskSecret,
  newJobSummary,
  readActionContext,
  resolveWorkingDirectory,
  runAction,
} from "../../src/io/action/index.js";
import { posix, relative } from "node:path";
import { RUN_OUTPUTS, readRunInputs } from "./inputs.js";
import { plotsSummary } from "./plots-output.js";
import { type RunOutcome, runAndCommit } from "./steps.js";

export async function run(env: Env = process.env, fail: FailStep = failStep): Promise<ActionResult> {
  return runAction("run", env, fail, async (frame) => {
    const inputs = readRunInputs(actionInputs);
    maskSecret(inputs.token);
    const context = readActionContext();
    const dir = resolveWorkingDirectory(context.workspace, inputs.workingDirectory);
    frame.sourceRoot = dir.relative;
    const outcome = await runAndCommit(inputs, context, dir.path);
    const rendered = outcome.renderedPlots.map((p) => ({ path: p, repoPath: posix.join(dir.relative, p) }));
    const page = outcome.plotsPage
      ? { file: outcome.plotsPage, relative: relative(context.workspace, outcome.plotsPage) }
      : undefined;
    await writeSummary(outcome, plotsSummary(context, page, rendered, outcome.commit));
    return {
      [RUN_OUTPUTS.stagesRan]: JSON.stringify(outcome.stagesRan),
      [RUN_OUTPUTS.metrics]: JSON.stringify(outcome.metrics),
      [RUN_OUTPUTS.registryVersion]: outcome.registryVersion ?? "",
      [RUN_OUTPUTS.commit]: outcome.commit ?? "",
      [RUN_OUTPUTS.plotsHtml]: outcome.plotsPage ?? "",
    };
  });
}

async function writeSummary(outcome: RunOutcome, plots: string): Promise<void> {
  const { stagesRan: ran, commit } = outcome;
  const summary = newJobSummary()
    .addHeading("Trainyard run", 2)
    .addRaw(
      ran.length ? `Stages run: ${ran.map((s) => `\`${s}\``).join(", ")}.` : "Every stage was up to date.",
      true,
    )
    .addRaw(commit ? `Committed back as \`${commit.slice(0, 12)}\`.` : "Nothing committed back.", true);
  const stages = renderStagesSection(outcome.stages);
  if (stages) summary.addEOL().addRaw(stages, true);
  if (plots) summary.addEOL().addRaw(plots, true);
  for (const report of outcome.reports) summary.addEOL().addRaw(report, true);
  await summary.write();
}
