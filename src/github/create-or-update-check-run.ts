/**
 * The gating check run `trainyard / <model>` on a commit: created once per head sha and updated in
 * place afterwards (a re-requested check or a second delivery must not stack runs).
 */
import type { components } from "@octokit/openapi-types";
import { plainText } from "../core/trust/index.js";
import { type GitHubClient, githubError } from "./client.js";
import { withKeyedLock } from "./keyed-mutex.js";

/** The conclusions Trainyard reports (a subset of GitHub's check-run conclusions). */
export type CheckConclusion = Extract<
  NonNullable<components["schemas"]["check-run"]["conclusion"]>,
  "success" | "failure" | "neutral"
>;

export interface TrainyardCheck {
  owner: string;
  repo: string;
  headSha: string;
  model: string;
  conclusion: CheckConclusion;
  /** One line shown next to the check. */
  title: string;
  /** Markdown: for a failure, the failing gates first. */
  summary: string;
  text?: string;
  detailsUrl?: string;
  /** Our app's id when running as the app: only a run it created is ours to update. */
  appId?: number;
}

export function checkRunName(model: string): string {
  return `trainyard / ${model}`;
}

// GitHub's limit on output.summary and output.text.
const OUTPUT_LIMIT = 65_535;

export function createOrUpdateCheckRun(
  octokit: GitHubClient,
  check: TrainyardCheck,
): Promise<{ id: number; action: "created" | "updated" }> {
  const { owner, repo, headSha } = check;
  const name = checkRunName(check.model);
  return withKeyedLock(`${owner}/${repo}@${headSha}:${name}`, async () => {
    try {
      const output = {
        // Titles are plain text other tools copy into Markdown: one line, no angle brackets.
        title: plainText(check.title),
        summary: clip(check.summary),
        ...(check.text === undefined ? {} : { text: clip(check.text) }),
      };
      const fields = {
        conclusion: check.conclusion,
        status: "completed" as const,
        completed_at: new Date().toISOString(),
        output,
        ...(check.detailsUrl ? { details_url: check.detailsUrl } : {}),
      };
      const { data } = await octokit.rest.checks.listForRef({
        owner,
        repo,
        ref: headSha,
        check_name: name,
        filter: "latest",
        ...(check.appId === undefined ? {} : { app_id: check.appId }),
      });
      const existing = data.check_runs.find(
        (run) =>
          run.name === name &&
          run.head_sha === headSha &&
          (check.appId === undefined || run.app?.id === check.appId),
      );
      if (existing) {
        await octokit.rest.checks.update({ owner, repo, check_run_id: existing.id, ...fields });
        return { id: existing.id, action: "updated" as const };
      }
      const { data: created } = await octokit.rest.checks.create({
        owner,
        repo,
        name,
        head_sha: headSha,
        ...fields,
      });
      return { id: created.id, action: "created" as const };
    } catch (thrown) {
      throw githubError(`cannot write the ${name} check on ${owner}/${repo}@${headSha.slice(0, 7)}`, thrown);
    }
  });
}

function clip(text: string): string {
  if (text.length <= OUTPUT_LIMIT) return text;
  const note = "\n\n… (truncated to GitHub's check output limit)";
  return text.slice(0, OUTPUT_LIMIT - note.length) + note;
}
