/**
 * The job behind every PR trigger: re-read the PR (so late or out-of-order deliveries always report
 * the PR's current head), then publish the report. Shared by the pull_request and check handlers.
 */
import type { MarkerTrust } from "../../src/core/promotion/index.js";
import type { GitHubClient } from "../../src/github/client.js";
import { publishPrReport } from "../../src/github/publish-pr-report.js";
import type { WorkQueue } from "../work-queue.js";

export function enqueuePrReport(
  queue: WorkQueue,
  octokit: GitHubClient,
  owner: string,
  repo: string,
  number: number,
  trust: () => Promise<MarkerTrust>,
) {
  queue.enqueue(
    `${owner}/${repo}#${number}`,
    "pr-report",
    async () => {
      const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
      if (pull.state !== "open") return;
      await publishPrReport(
        octokit,
        {
          owner,
          repo,
          number,
          base: { ref: pull.base.ref, sha: pull.base.sha },
          head: { ref: pull.head.ref, sha: pull.head.sha },
          htmlUrl: pull.base.repo.html_url,
        },
        await trust(),
      );
    },
    { coalesce: true },
  );
}
