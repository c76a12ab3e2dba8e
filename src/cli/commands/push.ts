/** `trainyard push [--remote NAME] [targets…]`: upload the objects behind pointers and lock outs that the remote lacks. */
import type { Command } from "commander";
import { workingTreeRoots } from "../../io/remote/collect-objects.js";
import { openRemote } from "../../io/remote/open-remote.js";
import { pushRoots } from "../../io/remote/sync-data.js";
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
