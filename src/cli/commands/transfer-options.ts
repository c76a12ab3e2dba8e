/** Options and output shared by `push`, `fetch` and `pull`. */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import type { TransferSummary } from "../../io/remote/transfer.js";
import { formatBytes } from "../output.js";

export interface TransferCliOptions {
  remote?: string;
  jobs?: string;
  json?: boolean;
}

export function addTransferOptions(command: Command): Command {
  return command
    .option("-r, --remote <name>", "remote from store.remotes in trainyard.yaml (default: store.default)")
    .option("-j, --jobs <n>", "concurrent transfers (default: the remote's jobs, else 16)")
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
