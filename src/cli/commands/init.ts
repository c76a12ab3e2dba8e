/** `trainyard init`: create `.trainyard/` (with its own .gitignore) and a starter `trainyard.yaml`. */
import type { Command } from "commander";
import { initRepo } from "../../io/git/index.js";
import { emit } from "../output.js";
import { commandCwd } from "./cli-context.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("set up Trainyard in the current folder: .trainyard/ and a starter trainyard.yaml")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }, cmd: Command) => {
      const cwd = commandCwd(cmd);
      const result = await initRepo(cwd);
      emit(options.json, { ok: true, ...result }, (r) =>
        [
          `Initialised Trainyard in ${r.root}`,
          ...r.created.map((f) => `  created ${f}`),
          ...r.kept.map((f) => `  kept    ${f} (already there)`),
          ...(r.staged.length ? [`  staged in git: ${r.staged.join(", ")}`] : []),
        ].join("\n"),
      );
    });
}
