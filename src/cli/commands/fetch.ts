/** `trainyard fetch [--remote NAME] [targets…]`: download missing objects into the local store only. */
import type { Command } from "commander";
import { openRepo } from "../../io/repo.js";
import { emit } from "../output.js";
import { createProgress } from "../progress.js";
import {
  addTransferOptions,
  describeTransfer,
  parseJobs,
  type TransferCliOptions,
} from "./transfer-options.js";

export function registerFetch(program: Command): void {
  addTransferOptions(
    program
      .command("fetch")
      .description("download data objects missing from the local store (the working copy is not touched)")
      .argument("[targets...]", "data paths, pointer files or folders (default: everything)"),
  ).action(async (targets: string[], options: TransferCliOptions, cmd: Command) => {
    const cwd = (cmd.optsWithGlobals() as { cwd?: string }).cwd ?? process.cwd();
    const repo = openRepo(cwd);
    // Loaded on use: the AWS SDK costs ~0.3 s of start-up that other commands should not pay.
    const { openRemote, workingTreeRoots, fetchRoots } = await import("../../io/remote/index.js");
    const { remote, jobs } = openRemote(repo, options.remote);
    try {
      const summary = await fetchRoots(repo, remote, workingTreeRoots(repo, cwd, targets), {
        jobs: parseJobs(options.jobs, jobs),
        progress: createProgress({ json: options.json }),
      });
      emit(options.json, { ok: true, remote: remote.name, url: remote.url, ...summary }, (s) =>
        describeTransfer("fetched", `${s.remote} (${s.url})`, s),
      );
    } finally {
      remote.close();
    }
  });
}
