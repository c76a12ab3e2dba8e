/**
 * `trainyard bot`: run the GitHub App (Probot) as a server. The app and Probot load only here, on
 * demand, so every other command starts without them.
 */
import type { Command } from "commander";
import { commandCwd } from "./cli-context.js";

export function registerBot(program: Command): void {
  program
    .command("bot")
    .description(
      "run the Trainyard GitHub App: configured from the environment and .env; without credentials it serves a page that registers the app",
    )
    .option("--env-file <path>", "the .env file to read (and to write on first run)", ".env")
    .action(async (options: { envFile: string }, cmd: Command) => {
      const cwd = commandCwd(cmd);
      const { resolve } = await import("node:path");
      const { runBotFromEnv } = await import("../../../bot/start-from-env.js");
      process.exitCode = await runBotFromEnv({ envFile: resolve(cwd, options.envFile) });
    });
}
