/** One parsed slash command → its runner. Unexpected failures become a reply, not silence. */
import { toError, TrainyardError } from "../../core/errors.js";
import { renderHelp, type SlashCommand } from "../../core/slash-commands/index.js";
import { runApprove } from "./approve-command.js";
import type { CommandEnv, CommandResult } from "./command-env.js";
import { runExperimentApply } from "./exp-apply-command.js";
import { runExperimentsCommand } from "./exp-command.js";
import { runRetrain } from "./retrain-command.js";
import { runStageCommand } from "./stage-command.js";

export async function runCommand(env: CommandEnv, command: SlashCommand): Promise<CommandResult> {
  try {
    switch (command.kind) {
      case "help": {
        const models = Object.values(env.config.models);
        return { ok: true, message: renderHelp(models.length === 1 ? models[0] : undefined) };
      }
      case "retrain":
        return await runRetrain(env, command.model);
      case "approve":
        return await runApprove(env, command.model);
      case "exp":
        return await runExperimentsCommand(env, command);
      case "exp-apply":
        return await runExperimentApply(env, command.name);
      case "promote":
      case "rollback":
        return await runStageCommand(env, command);
    }
  } catch (error) {
    // Something failed half-way (e.g. the API): say so plainly; the next attempt starts from GitHub's state.
    const message = error instanceof TrainyardError ? error.message : toError(error).message;
    return { ok: false, message: `something went wrong: ${message}` };
  }
}
