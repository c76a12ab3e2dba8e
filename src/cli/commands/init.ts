/** `trainyard init`: create `.trainyard/` (with its own .gitignore) and a starter `trainyard.yaml`. */
import { existsSync, realpathSync } from "node:fs";
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { type DvcImportResult, importDvcProject } from "../../io/dvc/index.js";
import { gitTopLevel, initRepo } from "../../io/git/index.js";
import { emit } from "../output.js";
import { commandCwd } from "./cli-context.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("set up Trainyard in the current folder: .trainyard/ and a starter trainyard.yaml")
    .option("--no-git", "set up a folder that is not a git repository (nothing is staged)")
    .option("--from-dvc", "convert the DVC project here: dvc.yaml, dvc.lock, .dvc files and .dvc/config")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean; git: boolean; fromDvc?: boolean }, cmd: Command) => {
      const cwd = commandCwd(cmd);
      // Locks, pointers and the registry live in git: without it most of Trainyard cannot work.
      if (options.git && existsSync(cwd) && !gitTopLevel(cwd)) {
        throw new TrainyardError(
          "usage",
          `${cwd} is not inside a git repository; run "git init" first, or "trainyard init --no-git" to set up the folder anyway`,
        );
      }
      if (options.fromDvc) {
        if (!options.git)
          throw new TrainyardError("usage", "--from-dvc needs the DVC project's git repository");
        const converted = await importDvcProject(realpathSync(cwd));
        emit(options.json, { ok: true, ...converted }, describeConversion);
        return;
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

function describeConversion(r: DvcImportResult): string {
  return [
    `Converted the DVC project in ${r.root}`,
    ...r.written.map((f) => `  wrote    ${f}`),
    ...r.pointers.map((f) => `  pointer  ${f}`),
    ...r.restored.map((f) => `  restored ${f} from DVC's cache`),
    ...r.missing.map(
      (f) => `  missing  ${f}: not checked out and not in DVC's cache (dvc pull, or trainyard run)`,
    ),
    ...(r.unmapped.length ? ["Not converted:", ...r.unmapped.map((u) => `  ${u}`)] : []),
    "Next: trainyard run (records trainyard.lock); DVC's files were left in place.",
  ].join("\n");
}
