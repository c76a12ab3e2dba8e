/** `trainyard add <path…>`: version files or folders with `<path>.ty` pointers. */
import type { Command } from "commander";
import { addData } from "../../io/data/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit, formatBytes } from "../output.js";
import { createProgress } from "../progress.js";
import { commandCwd } from "./cli-context.js";

export function registerAdd(program: Command): void {
  program
    .command("add")
    .description(
      "store files or folders and write <path>.ty pointers (data is git-ignored, pointers are staged)",
    )
    .argument("<paths...>", "files or folders to version")
    .option("--json", "print the result as JSON")
    .action(async (paths: string[], options: { json?: boolean }, cmd: Command) => {
      const cwd = commandCwd(cmd);
      const repo = openRepo(cwd);
      const result = await addData(repo, paths, { cwd, progress: createProgress({ json: options.json }) });
      emit(options.json, { ok: true, ...result }, (r) =>
        [
          ...r.added.map(
            (a) =>
              `${a.unchanged ? "unchanged" : "added"} ${a.path} (${a.files === undefined ? "" : `${a.files} files, `}${formatBytes(a.size)}) → ${a.pointer}`,
          ),
          ...(r.staged.length ? [`staged in git: ${r.staged.join(" ")}`] : []),
        ].join("\n"),
      );
    });
}
