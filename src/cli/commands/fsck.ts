/** `trainyard fsck [--remote [name]] [--repair]`: verify the local store (or a remote) and repair it. */
import type { Command } from "commander";
import { fsckLocal } from "../../io/data/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit } from "../output.js";
import { createProgress } from "../progress.js";
import { commandCwd } from "./cli-context.js";

interface FsckOptions {
  remote?: string | boolean;
  repair?: boolean;
  json?: boolean;
}

export function registerFsck(program: Command): void {
  program
    .command("fsck")
    .description(
      "verify every object of the local store (or, with --remote, download and hash what the working tree needs)",
    )
    .option("-r, --remote [name]", "check an S3 remote instead of the local store")
    .option("--repair", "move corrupt objects aside and store again what the working tree still holds")
    .option("--json", "print the result as JSON")
    .action(async (options: FsckOptions, cmd: Command) => {
      const cwd = commandCwd(cmd);
      const repo = openRepo(cwd);
      const repair = options.repair ?? false;
      if (options.remote !== undefined) {
        // Loaded on use: the AWS SDK costs start-up time that a local fsck should not pay.
        const { fsckRemote, openRemote } = await import("../../io/remote/index.js");
        const { remote } = await openRemote(
          repo,
          typeof options.remote === "string" ? options.remote : undefined,
        );
        try {
          const result = await fsckRemote(repo, remote, { repair });
          const bad = result.problems.filter((p) => !p.repaired);
          emit(options.json, { ok: bad.length === 0, remote: result }, ({ remote: r }) =>
            [
              `remote ${r.remote}: checked ${r.objects} object(s), ${r.problems.length} problem(s)`,
              ...r.problems.map(
                (p) =>
                  `  ${p.problem.padEnd(10)} ${p.oid}${p.repaired ? " (uploaded again)" : ""}: ${p.detail}`,
              ),
            ].join("\n"),
          );
          if (bad.length > 0) process.exitCode = 1;
        } finally {
          remote.close();
        }
        return;
      }
      const result = await fsckLocal(repo, { repair, progress: createProgress({ json: options.json }) });
      const bad = result.problems.filter((p) => !p.repaired);
      emit(options.json, { ok: bad.length === 0, local: result }, ({ local: r }) =>
        [
          `local store: checked ${r.objects} object(s), ${r.problems.length} problem(s)`,
          ...r.problems.map(
            (p) =>
              `  ${p.problem.padEnd(8)} ${p.oid} ${p.where}${p.repaired ? " (repaired)" : repair && p.problem === "corrupt" ? " (moved aside)" : ""}`,
          ),
          ...(bad.length && !repair
            ? ["run `trainyard fsck --repair` to store again what the working tree still holds"]
            : []),
          ...(bad.some((p) => p.problem === "missing") && repair
            ? ["what is still missing can come back with `trainyard fetch` from a remote, or `trainyard run`"]
            : []),
        ].join("\n"),
      );
      if (bad.length > 0) process.exitCode = 1;
    });
}
