/** The `--remote` half of `trainyard gc` (gc.ts registers the command and calls in here). */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { openRepo } from "../../io/git/index.js";
import { emit, formatBytes } from "../output.js";

export interface RemoteGcCliOptions {
  remote?: string;
  allBranches?: boolean;
  allTags?: boolean;
  allCommits?: boolean;
  /** Grace period for objects, in ms (parsed by gc.ts from --grace). */
  graceMs?: number;
  uploadsOlderThan?: string;
  runRecordsOlderThan?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function addRemoteGcOptions(command: Command): Command {
  return command
    .option("-r, --remote <name>", "collect garbage on this S3 remote instead of the local store")
    .option("--all-branches", "also keep what every branch tip references")
    .option("--all-tags", "also keep what every tagged commit references")
    .option("--all-commits", "also keep what any commit references (git rev-list --all)")
    .option(
      "--run-records-older-than <days>",
      "with --remote: drop run records older than this that no kept trainyard.lock names (default 30)",
    )
    .option(
      "--uploads-older-than <minutes>",
      "with --remote: abort incomplete uploads older than this (default 60)",
    );
}

function parseAge(value: string | undefined, option: string, unit: "minutes" | "days"): number | undefined {
  if (value === undefined) return undefined;
  const amount = Number(value);
  if (value.trim() === "" || !Number.isFinite(amount) || amount < 0) {
    throw new TrainyardError("usage", `${option} expects a number of ${unit} ≥ 0, got "${value}"`);
  }
  return amount * (unit === "minutes" ? 60_000 : 86_400_000);
}

export async function runRemoteGc(cwd: string, options: RemoteGcCliOptions): Promise<void> {
  const repo = openRepo(cwd);
  // Loaded on use: the AWS SDK costs ~0.3 s of start-up that plain `gc` should not pay.
  const { gcRemote, openRemote } = await import("../../io/remote/index.js");
  const { remote } = await openRemote(repo, options.remote);
  try {
    const grace = parseAge(options.uploadsOlderThan, "--uploads-older-than", "minutes");
    const recordAge = parseAge(options.runRecordsOlderThan, "--run-records-older-than", "days");
    const result = await gcRemote(repo, remote, {
      dryRun: options.dryRun ?? false,
      allBranches: options.allBranches ?? false,
      allTags: options.allTags ?? false,
      allCommits: options.allCommits ?? false,
      ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
      ...(grace !== undefined ? { uploadGraceMs: grace } : {}),
      ...(recordAge !== undefined ? { runRecordMaxAgeMs: recordAge } : {}),
    });
    emit(options.json, { ok: true, remote: result }, ({ remote: r }) => {
      const verb = r.dryRun ? "would remove" : "removed";
      const uploads = r.abortedUploads
        ? `; ${r.dryRun ? "would abort" : "aborted"} ${r.abortedUploads} incomplete upload(s)`
        : "";
      const records = `; ${r.dryRun ? "would drop" : "dropped"} ${r.expiredRunRecords} run record(s), kept ${r.keptRunRecords}`;
      return `remote ${r.remote} (${r.url}): ${verb} ${r.removed} object(s) (${formatBytes(r.removedBytes)}), kept ${r.kept} (${formatBytes(r.keptBytes)}) referenced by the working tree, ${r.commits} commit(s) and kept run records${records}${uploads}`;
    });
  } finally {
    remote.close();
  }
}
