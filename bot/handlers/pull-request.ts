/**
 * `pull_request` opened/synchronize/reopened/ready_for_review → the sticky report and the gating
 * check, computed after the acknowledgement. Drafts wait for ready_for_review. Fork PRs work: the
 * app reads the head commit from the base repository with its own token and executes nothing.
 */
import { botTrust } from "./bot-identity.js";
import { enqueuePrReport } from "./report-pull-request.js";
import type { HandlerModule } from "./types.js";

export const TRIGGERS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

export const pullRequestHandlers: HandlerModule = (app, deps) => {
  const { queue } = deps;
  app.on([...TRIGGERS], async (context) => {
    const { pull_request: pull, repository } = context.payload;
    if (pull.draft) return;
    enqueuePrReport(queue, context.octokit, repository.owner.login, repository.name, pull.number, () =>
      botTrust(app, deps),
    );
  });
};
