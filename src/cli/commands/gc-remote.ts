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
      "--uploads-older-than <minutes>",
      "with --remote: abort incomplete uploads older than this (default 60)",
    );
}

function parseMinutes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new TrainyardError("usage", `--uploads-older-than expects a number of minutes ≥ 0, got "${value}"`);
  }
  return minutes * 60_000;
}

export async function runRemoteGc(cwd: string, options: RemoteGcCliOptions): Promise<void> {
  const repo = openRepo(cwd);
  // Loaded on use: the AWS SDK costs ~0.3 s of start-up that plain `gc` should not pay.
  const { gcRemote, openRemote } = await import("../../io/remote/index.js");
  const { remote } = openRemote(repo, options.remote);
  try {
    const grace = parseMinutes(options.uploadsOlderThan);
    const result = await gcRemote(repo, remote, {
      dryRun: options.dryRun ?? false,
      allBranches: options.allBranches ?? false,
      allTags: options.allTags ?? false,
      allCommits: options.allCommits ?? false,
      ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
      ...(grace !== undefined ? { uploadGraceMs: grace } : {}),
    });
    emit(options.json, { ok: true, remote: result }, ({ remote: r }) => {
      const verb = r.dryRun ? "would remove" : "removed";
      const uploads = r.abortedUploads
        ? `; ${r.dryRun ? "would abort" : "aborted"} ${r.abortedUploads} incomplete upload(s)`
        : "";
      return `remote ${r.remote} (${r.url}): ${verb} ${r.removed} object(s) (${formatBytes(r.removedBytes)}), kept ${r.kept} (${formatBytes(r.keptBytes)}) referenced by the working tree and ${r.commits} commit(s)${uploads}`;
    });
  } finally {
    remote.close();
  }
}
