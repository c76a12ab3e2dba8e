/** `trainyard gc`: delete local store objects that no gc root references (or `--remote`'s). */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { DEFAULT_GC_GRACE_MS, gcLocal } from "../../io/store/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit, formatBytes } from "../output.js";
import { addRemoteGcOptions, type RemoteGcCliOptions, runRemoteGc } from "./gc-remote.js";
import { commandCwd } from "./cli-context.js";

const SHOWN_CANDIDATES = 20;

function parseGrace(value: string | undefined): number {
  if (value === undefined) return DEFAULT_GC_GRACE_MS;
  const minutes = Number(value);
  if (value.trim() === "" || !Number.isFinite(minutes) || minutes < 0) {
    throw new TrainyardError("usage", `--grace expects a number of minutes ≥ 0, got "${value}"`);
  }
  return minutes * 60_000;
}

export function registerGc(program: Command): void {
  addRemoteGcOptions(program.command("gc"))
    .description(
      "remove objects no pointer, lock, run record or registered version references from the local store",
    )
    .option("-n, --dry-run", "only list what would be removed, with a count and bytes")
    .option(
      "--grace <minutes>",
      `keep objects younger than this, referenced or not (default ${DEFAULT_GC_GRACE_MS / 60_000})`,
    )
    .option("--json", "print the result as JSON")
    .action(
      async (
        options: { json?: boolean; dryRun?: boolean; grace?: string } & RemoteGcCliOptions,
        cmd: Command,
      ) => {
        const cwd = commandCwd(cmd);
        if (options.remote !== undefined)
          return runRemoteGc(cwd, { ...options, graceMs: parseGrace(options.grace) });
        const result = await gcLocal(openRepo(cwd), {
          dryRun: options.dryRun ?? false,
          graceMs: parseGrace(options.grace),
          allBranches: options.allBranches ?? false,
          allTags: options.allTags ?? false,
          allCommits: options.allCommits ?? false,
        });
        emit(options.json, { ok: true, local: result }, ({ local: r }) => {
          const verb = r.dryRun ? "would remove" : "removed";
          const temps = r.staleTemps ? `; ${verb} ${r.staleTemps} stale temp file(s)` : "";
          const young = r.young ? ` (${r.young} unreferenced but younger than the grace period)` : "";
          const lines = (r.candidates ?? [])
            .slice(0, SHOWN_CANDIDATES)
            .map((c) => `  ${c.oid} ${formatBytes(c.size)}`);
          const more = (r.candidates?.length ?? 0) - SHOWN_CANDIDATES;
          if (more > 0) lines.push(`  … and ${more} more`);
          return [
            `local store: ${verb} ${r.removed} object(s) (${formatBytes(r.removedBytes)}), kept ${r.kept} (${formatBytes(r.keptBytes)})${young}${temps}`,
            ...lines,
          ].join("\n");
        });
      },
    );
}
