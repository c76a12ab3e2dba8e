/** `trainyard pull [--remote NAME] [targets…]`: fetch, then check out — the working copy matches the pointers. */
import type { Command } from "commander";
import { LOCK_FILE } from "../../core/lock.js";
import { checkoutData } from "../../io/data/index.js";
import { restoreLockOutputs } from "../../io/pipeline/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit } from "../output.js";
import { createProgress } from "../progress.js";
import {
  addTransferOptions,
  describeRuns,
  describeTransfer,
  parseJobs,
  type TransferCliOptions,
} from "./transfer-options.js";
import { commandCwd } from "./cli-context.js";

export function registerPull(program: Command): void {
  addTransferOptions(
    program
      .command("pull")
      .description("download missing data objects, then check the data out")
      .argument("[targets...]", "data paths, pointer files or folders (default: everything)")
      .option("-f, --force", "overwrite local changes that are not saved in the store"),
  ).action(async (targets: string[], options: TransferCliOptions & { force?: boolean }, cmd: Command) => {
    const cwd = commandCwd(cmd);
    const repo = openRepo(cwd);
    // Loaded on use: the AWS SDK costs ~0.3 s of start-up that other commands should not pay.
    const { openRemote, workingTreeRoots, fetchRoots, fetchRunRecords } = await import(
      "../../io/remote/index.js"
    );
    const { remote, jobs } = await openRemote(repo, options.remote);
    const progress = createProgress({ json: options.json });
    try {
      const roots = workingTreeRoots(repo, cwd, targets);
      const summary = await fetchRoots(repo, remote, roots, {
        jobs: parseJobs(options.jobs, jobs),
        progress,
      });
      const runs = options.runCache
        ? await fetchRunRecords(repo, remote, { jobs: parseJobs(options.jobs, jobs) })
        : undefined;
      const results = await checkoutData(repo, { cwd, targets, force: options.force ?? false, progress });
      const restored = results.filter((r) => r.action === "restored").length;
      // Stage outs recorded in the lock come back too (missing ones; all of them with --force), so
      // a fresh clone after `pull` has the model and the prepared data without re-running anything.
      const lockOuts = roots.filter((r) => r.source.startsWith(`${LOCK_FILE}:`)).map((r) => r.path);
      const outs = lockOuts.length
        ? await restoreLockOutputs(repo, { paths: new Set(lockOuts), onlyMissing: !options.force })
        : [];
      emit(
        options.json,
        {
          ok: true,
          remote: remote.name,
          url: remote.url,
          ...summary,
          checkout: results,
          outs,
          ...(runs ? { runs } : {}),
        },
        (s) =>
          [
            `${describeTransfer("fetched", `${s.remote} (${s.url})`, s)}\nChecked out ${restored} of ${results.length} data path(s)` +
              (outs.length ? ` and restored ${outs.length} stage out(s) from trainyard.lock.` : "."),
            ...(runs ? describeRuns(runs) : []),
          ].join("\n"),
      );
    } finally {
      remote.close();
    }
  });
}
