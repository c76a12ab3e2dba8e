/**
 * Opens an issue, or updates the one already open, identified by a hidden marker in its body (the
 * way cml's watermark keeps one comment per purpose). Running the monitor every night therefore
 * keeps one issue current instead of filing a new one each time drift persists.
 */
import { type GitHubClient, githubError } from "./client.js";

/** A hidden HTML comment naming what the issue is about, e.g. `trainyard:monitor`. */
export function issueMarker(key: string): string {
  return `<!-- ${key} -->`;
}

export interface UpsertIssueRequest {
  readonly owner: string;
  readonly repo: string;
  /** The marker's key; issues whose body holds `issueMarker(key)` are "the" issue. */
  readonly key: string;
  readonly title: string;
  /** Markdown; the marker is added on top. */
  readonly body: string;
  readonly labels?: readonly string[];
}

export interface UpsertedIssue {
  readonly number: number;
  readonly url: string;
  readonly created: boolean;
}

export async function upsertIssue(
  octokit: GitHubClient,
  request: UpsertIssueRequest,
): Promise<UpsertedIssue> {
  const { owner, repo } = request;
  const marker = issueMarker(request.key);
  const body = `${marker}\n${request.body}`;
  try {
    const existing = await findOpenIssue(octokit, owner, repo, marker);
    if (existing !== undefined) {
      const { data } = await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: existing,
        title: request.title,
        body,
      });
      return { number: data.number, url: data.html_url, created: false };
    }
    const { data } = await octokit.rest.issues.create({
      owner,
      repo,
      title: request.title,
      body,
      ...(request.labels && request.labels.length > 0 ? { labels: [...request.labels] } : {}),
    });
    return { number: data.number, url: data.html_url, created: true };
  } catch (thrown) {
    throw githubError(`cannot open or update the "${request.title}" issue in ${owner}/${repo}`, thrown);
  }
}

/** The oldest open issue carrying the marker (pull requests share the issues list; skip them). */
async function findOpenIssue(octokit: GitHubClient, owner: string, repo: string, marker: string) {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    state: "open",
    per_page: 100,
    sort: "created",
    direction: "asc",
  });
  return issues.find((issue) => !issue.pull_request && (issue.body ?? "").includes(marker))?.number;
}
