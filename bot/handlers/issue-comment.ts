/**
 * `issue_comment` created → slash commands (see src/github/handle-comment-commands.ts).
 * Edited and deleted comments are ignored: an edit must not re-run or smuggle in a command.
 */
import { handleCommentCommands } from "../../src/github/handle-comment-commands.js";
import { parseSlashCommands } from "../../src/core/slash-commands/index.js";
import { apiBaseUrl, botTrust } from "./bot-identity.js";
import type { HandlerModule } from "./types.js";

export const issueCommentHandlers: HandlerModule = (app, deps) => {
  const { queue } = deps;
  app.on("issue_comment.created", async (context) => {
    const { comment, issue, repository } = context.payload;
    // Most comments are conversation: decide that before any API call or queued work.
    if (parseSlashCommands(comment.body).length === 0) return;
    const owner = repository.owner.login;
    const octokit = context.octokit;
    const baseUrl = apiBaseUrl(context);
    queue.enqueue(`${repository.full_name}#${issue.number}`, `comment-${comment.id}`, async () => {
      await handleCommentCommands(octokit, {
        owner,
        repo: repository.name,
        defaultBranch: repository.default_branch,
        issue: { number: issue.number, isPull: Boolean(issue.pull_request) },
        comment: {
          id: comment.id,
          body: comment.body,
          user: { login: comment.user?.login ?? "", type: comment.user?.type ?? "unknown" },
        },
        trust: await botTrust(app, deps),
        apiBaseUrl: baseUrl,
      });
    });
  });
};
