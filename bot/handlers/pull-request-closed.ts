/** `pull_request` closed + merged into the default branch → register and promote (after the ack). */
import { registerMergedPull } from "../../src/github/register-merged-pull.js";
import { botTrust } from "./bot-identity.js";
import type { HandlerModule } from "./types.js";

export const pullRequestClosedHandlers: HandlerModule = (app, deps) => {
  const { queue } = deps;
  app.on("pull_request.closed", async (context) => {
    const { pull_request: pull, repository } = context.payload;
    if (!pull.merged || !pull.merge_commit_sha) return;
    if (pull.base.ref !== repository.default_branch) return;
    const octokit = context.octokit;
    const merged = {
      owner: repository.owner.login,
      repo: repository.name,
      number: pull.number,
      mergeSha: pull.merge_commit_sha,
      headSha: pull.head.sha,
      mergedBy: pull.merged_by?.login ?? context.payload.sender.login,
      defaultBranch: repository.default_branch,
    };
    queue.enqueue(`${repository.full_name}#${pull.number}`, "register-merge", async () =>
      registerMergedPull(octokit, merged, await botTrust(app, deps)),
    );
  });
};
