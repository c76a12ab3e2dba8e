/**
 * "Re-run" on one of our checks (check_run.rerequested) or on the whole suite
 * (check_suite.rerequested) recomputes the report for the PRs of that commit.
 */
import type { MarkerTrust } from "../../src/core/promotion/index.js";
import type { GitHubClient } from "../../src/github/client.js";
import { checkRunName } from "../../src/github/create-or-update-check-run.js";
import type { WorkQueue } from "../work-queue.js";
import { botTrust } from "./bot-identity.js";
import { enqueuePrReport } from "./report-pull-request.js";
import type { HandlerModule } from "./types.js";

const OUR_CHECK = checkRunName("");

export const checkRunHandlers: HandlerModule = (app, deps) => {
  const { queue } = deps;
  const trust = () => botTrust(app, deps);
  app.on("check_run.rerequested", async (context) => {
    const { check_run: run, repository } = context.payload;
    if (!run.name.startsWith(OUR_CHECK)) return;
    const numbers = run.pull_requests.map((p) => p.number);
    const at = { owner: repository.owner.login, repo: repository.name, headSha: run.head_sha };
    await recompute(queue, context.octokit, at, numbers, trust);
  });
  app.on("check_suite.rerequested", async (context) => {
    const { check_suite: suite, repository } = context.payload;
    const numbers = suite.pull_requests.map((p) => p.number);
    const at = { owner: repository.owner.login, repo: repository.name, headSha: suite.head_sha };
    await recompute(queue, context.octokit, at, numbers, trust);
  });
};

async function recompute(
  queue: WorkQueue,
  octokit: GitHubClient,
  { owner, repo, headSha }: { owner: string; repo: string; headSha: string },
  numbers: number[],
  trust: () => Promise<MarkerTrust>,
) {
  if (numbers.length > 0) {
    for (const number of numbers) enqueuePrReport(queue, octokit, owner, repo, number, trust);
    return;
  }
  // GitHub leaves `pull_requests` empty for PRs from forks: find them by head sha, after the ack.
  queue.enqueue(`${owner}/${repo}@${headSha}`, "find-prs", async () => {
    const pulls = await octokit.paginate(octokit.rest.pulls.list, {
      owner,
      repo,
      state: "open",
      per_page: 100,
    });
    for (const pull of pulls.filter((p) => p.head.sha === headSha)) {
      enqueuePrReport(queue, octokit, owner, repo, pull.number, trust);
    }
  });
}
