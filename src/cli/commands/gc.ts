/** `trainyard gc`: delete local store objects that no pointer in the working tree references. */
import type { Command } from "commander";
import { gcLocal } from "../../io/store/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit, formatBytes } from "../output.js";
import { addRemoteGcOptions, type RemoteGcCliOptions, runRemoteGc } from "./gc-remote.js";

export function registerGc(program: Command): void {
  addRemoteGcOptions(program.command("gc"))
    .description("remove unreferenced objects from the local store")
    .option("-n, --dry-run", "only report what would be removed")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean; dryRun?: boolean } & RemoteGcCliOptions, cmd: Command) => {
      const cwd = (cmd.optsWithGlobals() as { cwd?: string }).cwd ?? process.cwd();
      if (options.remote !== undefined) return runRemoteGc(cwd, options);
      const result = await gcLocal(openRepo(cwd), { dryRun: options.dryRun ?? false });
      emit(options.json, { ok: true, local: result }, ({ local: r }) => {
        const verb = r.dryRun ? "would remove" : "removed";
        const temps = r.staleTemps ? `; ${verb} ${r.staleTemps} stale temp file(s)` : "";
        return `local store: ${verb} ${r.removed} object(s) (${formatBytes(r.removedBytes)}), kept ${r.kept} (${formatBytes(r.keptBytes)})${temps}`;
      });
    });
}
