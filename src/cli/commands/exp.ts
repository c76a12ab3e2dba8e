/** `trainyard exp …`: try variants without commits, compare them, keep the winner. */
import type { Command } from "commander";
import { registerExpRun } from "./exp-run.js";
import { registerExpShow } from "./exp-show.js";
import { registerExpManage } from "./exp-manage.js";
import { registerExpShare } from "./exp-share.js";

export function registerExp(program: Command): void {
  const exp = program
    .command("exp")
    .description("experiments: run variants in worktrees, compare them, apply the best");
  registerExpRun(exp);
  registerExpShow(exp);
  registerExpManage(exp);
  registerExpShare(exp);
}
