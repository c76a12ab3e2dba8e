/** `trainyard push [--remote NAME] [targets…]`: upload the objects behind pointers and lock outs that the remote lacks. */
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

export function registerPush(program: Command): void {
  addTransferOptions(
    program
      .command("push")
      .description("upload data objects the S3 remote lacks (pointers and trainyard.lock outs)")
      .argument("[targets...]", "data paths, pointer files or folders (default: everything)"),
  ).action(async (targets: string[], options: TransferCliOptions, cmd: Command) => {
    const cwd = (cmd.optsWithGlobals() as { cwd?: string }).cwd ?? process.cwd();
    const repo = openRepo(cwd);
    // Loaded on use: the AWS SDK costs ~0.3 s of start-up that other commands should not pay.
    const { openRemote, workingTreeRoots, pushRoots } = await import("../../io/remote/index.js");
    const { remote, jobs } = openRemote(repo, options.remote);
    try {
      const summary = await pushRoots(repo, remote, workingTreeRoots(repo, cwd, targets), {
        jobs: parseJobs(options.jobs, jobs),
        progress: createProgress({ json: options.json }),
      });
      emit(options.json, { ok: true, remote: remote.name, url: remote.url, ...summary }, (s) =>
        describeTransfer("pushed", `${s.remote} (${s.url})`, s),
      );
    } finally {
      remote.close();
    }
  });
}
