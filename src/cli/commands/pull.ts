/** `trainyard pull [--remote NAME] [targets…]`: fetch, then check out — the working copy matches the pointers. */
import type { Command } from "commander";
import { checkoutData } from "../../io/checkout-data.js";
import { openRepo } from "../../io/repo.js";
import { emit } from "../output.js";
import { createProgress } from "../progress.js";
import {
  addTransferOptions,
  describeTransfer,
  parseJobs,
  type TransferCliOptions,
} from "./transfer-options.js";

export function registerPull(program: Command): void {
  addTransferOptions(
    program
      .command("pull")
      .description("download missing data objects, then check the data out")
      .argument("[targets...]", "data paths, pointer files or folders (default: everything)")
      .option("-f, --force", "overwrite local changes that are not saved in the store"),
  ).action(async (targets: string[], options: TransferCliOptions & { force?: boolean }, cmd: Command) => {
    const cwd = (cmd.optsWithGlobals() as { cwd?: string }).cwd ?? process.cwd();
    const repo = openRepo(cwd);
    // Loaded on use: the AWS SDK costs ~0.3 s of start-up that other commands should not pay.
    const { openRemote, workingTreeRoots, fetchRoots } = await import("../../io/remote/index.js");
    const { remote, jobs } = openRemote(repo, options.remote);
    const progress = createProgress({ json: options.json });
    try {
      const summary = await fetchRoots(repo, remote, workingTreeRoots(repo, cwd, targets), {
        jobs: parseJobs(options.jobs, jobs),
        progress,
      });
      // Only pointers are checked out here: lock outs are restored by `trainyard run`/checkout of stages.
      const results = await checkoutData(repo, { cwd, targets, force: options.force ?? false, progress });
      const restored = results.filter((r) => r.action === "restored").length;
      emit(
        options.json,
        { ok: true, remote: remote.name, url: remote.url, ...summary, checkout: results },
        (s) =>
          `${describeTransfer("fetched", `${s.remote} (${s.url})`, s)}\nChecked out ${restored} of ${results.length} data path(s).`,
      );
    } finally {
      remote.close();
    }
  });
}
