/** Options and output shared by `push`, `fetch` and `pull`. */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import type { RunRecordFetchSummary, RunRecordPushSummary, TransferSummary } from "../../io/remote/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit, formatBytes } from "../output.js";
import { createProgress } from "../progress.js";
import { commandCwd } from "./cli-context.js";

export interface TransferCliOptions {
  remote?: string;
  runCache?: boolean;
  jobs?: string;
  json?: boolean;
}

export function addTransferOptions(command: Command): Command {
  return command
    .option("-r, --remote <name>", "remote from store.remotes in trainyard.yaml (default: store.default)")
    .option("-j, --jobs <n>", "concurrent transfers (default: the remote's jobs, else 16)")
    .option(
      "--run-cache",
      "also transfer the whole run cache: every run record (and the outs it names), not only those of trainyard.lock",
    )
    .option("--json", "print the result as JSON");
}

export function parseJobs(value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) {
    throw new TrainyardError("usage", `--jobs expects a whole number from 1 to 256, got "${value}"`);
  }
  return jobs;
}

export function describeTransfer(
  verb: "pushed" | "fetched",
  remote: string,
  summary: TransferSummary,
): string {
  const where = verb === "pushed" ? `on ${remote}` : "in the local store";
  if (summary.transferred === 0)
    return `Everything up to date: all ${summary.objects} object(s) are already ${where}.`;
  return `${verb === "pushed" ? "Pushed" : "Fetched"} ${summary.transferred} object(s), ${formatBytes(summary.bytes)} (${summary.present} already ${where}) ${verb === "pushed" ? "to" : "from"} ${remote}.`;
}

/** One line about the run records moved, and one per record left out (and why). */
export function describeRuns(runs: RunRecordPushSummary | RunRecordFetchSummary): string[] {
  if ("pushed" in runs) {
    return [
      `Run records: pushed ${runs.pushed}, ${runs.alreadyThere} already on the remote.`,
      ...runs.skipped.map((s) => `! run record not pushed: ${s}`),
    ];
  }
  return [
    `Run records: fetched ${runs.fetched} of ${runs.records} on the remote.`,
    ...runs.ignored.map((s) => `! run record ignored: ${s}`),
  ];
}

/**
 * `push` and `fetch` are one command in two directions: same targets, options, remote handling
 * and output; only the transfer and the wording differ.
 */
export function registerTransferCommand(
  program: Command,
  spec: { name: "push" | "fetch"; description: string },
): void {
  const verb = spec.name === "push" ? "pushed" : "fetched";
  addTransferOptions(
    program
      .command(spec.name)
      .description(spec.description)
      .argument("[targets...]", "data paths, pointer files or folders (default: everything)"),
  ).action(async (targets: string[], options: TransferCliOptions, cmd: Command) => {
    const cwd = commandCwd(cmd);
    const repo = openRepo(cwd);
    // Loaded on use: the AWS SDK costs ~0.3 s of start-up that other commands should not pay.
    const io = await import("../../io/remote/index.js");
    const transfer = spec.name === "push" ? io.pushRoots : io.fetchRoots;
    const { remote, jobs } = await io.openRemote(repo, options.remote);
    try {
      const roots = io.workingTreeRoots(repo, cwd, targets);
      const transferOptions = {
        jobs: parseJobs(options.jobs, jobs),
        progress: createProgress({ json: options.json }),
      };
      const summary = await transfer(repo, remote, roots, transferOptions);
      const everyRecord = options.runCache ?? false;
      // Records go with the outs they name: push sends the records of the stages it pushed.
      const runs =
        spec.name === "push"
          ? await io.pushRunRecords(
              repo,
              remote,
              await io.fingerprintsToPush(repo, roots, { everything: targets.length === 0, everyRecord }),
              transferOptions,
            )
          : everyRecord
            ? await io.fetchRunRecords(repo, remote, transferOptions)
            : undefined;
      emit(
        options.json,
        { ok: true, remote: remote.name, url: remote.url, ...summary, ...(runs ? { runs } : {}) },
        (s) =>
          [describeTransfer(verb, `${s.remote} (${s.url})`, s), ...(runs ? describeRuns(runs) : [])].join(
            "\n",
          ),
      );
    } finally {
      remote.close();
    }
  });
}
