/** `trainyard init`: create `.trainyard/` (with its own .gitignore) and a starter `trainyard.yaml`. */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { gitTopLevel, initRepo } from "../../io/git/index.js";
import { emit } from "../output.js";
import { commandCwd } from "./cli-context.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("set up Trainyard in the current folder: .trainyard/ and a starter trainyard.yaml")
    .option("--no-git", "set up a folder that is not a git repository (nothing is staged)")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean; git: boolean }, cmd: Command) => {
      const cwd = commandCwd(cmd);
      // Locks, pointers and the registry live in git: without it most of Trainyard cannot work.
      if (options.git && existsSync(cwd) && !gitTopLevel(cwd)) {
        throw new TrainyardError(
          "usage",
          `${cwd} is not inside a git repository; run "git init" first, or "trainyard init --no-git" to set up the folder anyway`,
        );
      }
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
