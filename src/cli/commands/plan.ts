/**
 * `trainyard plan`: the stale stages grouped into dependency levels. `--json` is what a CI
 * workflow feeds to a matrix: each level's stages can run as parallel jobs.
 */
import type { Command } from "commander";
import { collectPipelineStatus, type PipelineStatus } from "../../io/pipeline/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit } from "../output.js";
import { createProgress } from "../progress.js";
import { commandCwd } from "./cli-context.js";

export function renderPlan(plan: PipelineStatus["plan"]): string {
  if (plan.levels.length === 0) return "Nothing to run: every stage is up to date.";
  const lines: string[] = [];
  plan.levels.forEach((level, i) => {
    lines.push(`Level ${i + 1}:`);
    for (const s of level) lines.push(`  ${s.stage}: ${s.reasons.join("; ")}`);
  });
  return lines.join("\n");
}

export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description("list the stale stages in dependency levels (for fanning out CI jobs)")
    .argument("[stages...]", "limit to these stages and what they depend on")
    .option("--json", "print the plan as JSON")
    .action(async (stages: string[], options: { json?: boolean }, cmd: Command) => {
      const cwd = commandCwd(cmd);
      const status = await collectPipelineStatus(openRepo(cwd), {
        targets: stages,
        progress: createProgress({ json: options.json }),
      });
      const json = {
        ok: true,
        levels: status.plan.levels,
        stages: status.plan.levels.flat().map((s) => s.stage),
        upToDate: status.plan.upToDate,
      };
      emit(options.json, json, () => renderPlan(status.plan));
    });
}
