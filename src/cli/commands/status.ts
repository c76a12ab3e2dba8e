/**
 * `trainyard status`: what changed in the working copy. The output is a list of sections; the data
 * section comes from versioned data, and the pipeline adds its own section beside it.
 */
import type { Command } from "commander";
import { collectDataStatus, type DataStatus } from "../../io/data/index.js";
import { openRepo, type Repo } from "../../io/git/index.js";
import { listPointerFiles } from "../../io/store/index.js";
import { emit } from "../output.js";
import { pipelineStatusSection } from "./pipeline-status-section.js";
import { createProgress } from "../progress.js";
import { commandCwd } from "./cli-context.js";

/** `status --fail-if-stale` exit code: distinct from 1 (an error) so CI can tell them apart. */
export const STATUS_EXIT_STALE = 2;

export interface StatusSection {
  /** Key in the JSON output. */
  key: string;
  data: unknown;
  human: string;
  clean: boolean;
}

export async function dataStatusSection(
  repo: Repo,
  cwd: string,
  targets: readonly string[],
  json?: boolean,
  pointerFiles?: readonly string[],
): Promise<StatusSection> {
  const progress = createProgress({ json });
  const data = await collectDataStatus(repo, {
    cwd,
    targets,
    progress,
    ...(pointerFiles ? { pointerFiles } : {}),
  });
  // On stderr even with --json (where they are also in the output), so a script's stdout stays JSON.
  for (const warning of data.warnings ?? []) process.stderr.write(`trainyard: warning: ${warning}\n`);
  return { key: "data", data, human: renderDataStatus(data), clean: data.clean };
}

export function renderDataStatus(status: DataStatus): string {
  if (status.entries.length === 0)
    return "Data: no pointers (.ty files) yet — version data with `trainyard add <path>`";
  const lines = [`Data (${status.entries.length} pointer${status.entries.length === 1 ? "" : "s"}):`];
  for (const e of status.entries) {
    lines.push(`  ${e.state.padEnd(8)} ${e.path}${e.kind === "directory" ? "/" : ""}`);
    for (const [label, paths] of [
      ["added", e.added],
      ["modified", e.modified],
      ["deleted", e.deleted],
    ] as const) {
      if (e.state === "missing" && label === "deleted") continue;
      for (const p of paths)
        if (!(e.kind === "file" && p === e.path)) lines.push(`    ${label.padEnd(9)}${p}`);
    }
    if (e.note) lines.push(`    (${e.note})`);
  }
  if (status.clean) lines.push("  everything matches its pointer");
  if (status.repaired)
    lines.push(`  re-stored ${status.repaired} object(s) that were missing from the local store`);
  return lines.join("\n");
}

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("show which versioned data changed (exact files added, modified, deleted)")
    .argument("[targets...]", "data paths, pointer files or folders (default: everything)")
    .option("--json", "print the result as JSON")
    .option(
      "--fail-if-stale",
      `exit with code ${STATUS_EXIT_STALE} when a pipeline stage is stale (for CI; errors still exit 1)`,
    )
    .action(async (targets: string[], options: { json?: boolean; failIfStale?: boolean }, cmd: Command) => {
      const cwd = commandCwd(cmd);
      const repo = openRepo(cwd);
      // git lists the pointer files in the background while the pipeline's part runs; the two
      // parts still run one after the other (each saves the stat cache).
      const listing = listPointerFiles(repo);
      listing.catch(() => undefined); // awaited below; this only keeps an early failure "handled"
      const pipeline = await pipelineStatusSection(repo, options.json);
      const data = await dataStatusSection(repo, cwd, targets, options.json, await listing);
      const sections: StatusSection[] = pipeline ? [data, pipeline] : [data];
      const json: Record<string, unknown> = { ok: true, clean: sections.every((s) => s.clean) };
      for (const s of sections) json[s.key] = s.data;
      emit(options.json, json, () => sections.map((s) => s.human).join("\n\n"));
      if (options.failIfStale && pipeline && !pipeline.clean) process.exitCode = STATUS_EXIT_STALE;
    });
}
