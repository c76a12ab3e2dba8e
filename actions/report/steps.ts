/**
 * The `report` action's named steps: find the pull request, read its current head (the run job may
 * have committed results back since the event fired), then publish exactly what the bot publishes.
 */
import { TrainyardError } from "../../src/core/errors.js";
import { createGitHubClient, githubError } from "../../src/github/client.js";
import { type PublishOutcome, publishPrReport } from "../../src/github/publish-pr-report.js";
import type { ActionContext } from "../../src/io/action/index.js";
import type { ReportInputs } from "./inputs.js";

export type Conclusion = "success" | "neutral" | "failure";

export interface ReportOutcome {
  readonly pullRequest: number;
  readonly outcome: PublishOutcome;
  readonly conclusion: Conclusion;
}

export async function reportPullRequest(
  inputs: ReportInputs,
  context: ActionContext,
): Promise<ReportOutcome> {
  const number = inputs.pullRequest ?? pullRequestFromEvent(context);
  const github = createGitHubClient({ token: inputs.token, baseUrl: context.apiUrl });
  const { owner, repo } = context;
  const pull = await github.rest.pulls.get({ owner, repo, pull_number: number }).catch((thrown: unknown) => {
    throw githubError(`cannot read pull request #${number} of ${owner}/${repo}`, thrown);
  });
  const outcome = await publishPrReport(
    github,
    {
      owner,
      repo,
      number,
      base: { ref: pull.data.base.ref, sha: pull.data.base.sha },
      head: { ref: pull.data.head.ref, sha: pull.data.head.sha },
      htmlUrl: pull.data.base.repo.html_url,
    },
    undefined,
    inputs.workingDirectory ? { project: inputs.workingDirectory } : {},
  );
  return { pullRequest: number, outcome, conclusion: worstConclusion(outcome) };
}

function pullRequestFromEvent(context: ActionContext): number {
  const number = (context.payload.pull_request as { number?: unknown } | undefined)?.number;
  if (typeof number === "number") return number;
  throw new TrainyardError(
    "usage",
    `this run was triggered by "${context.eventName}", which has no pull request: set the "pull-request" input`,
  );
}

const SEVERITY: Record<Conclusion, number> = { success: 0, neutral: 1, failure: 2 };

function worstConclusion(outcome: PublishOutcome): Conclusion {
  if (outcome.kind === "invalid-config") return "failure";
  if (outcome.kind === "no-config") return "neutral";
  return outcome.models.reduce<Conclusion>(
    (worst, m) => (SEVERITY[m.conclusion] > SEVERITY[worst] ? m.conclusion : worst),
    "success",
  );
}
