/**
 * One comment per PR and purpose, found again by a hidden marker and updated in place (cml's
 * watermark idea). Never duplicates: work on one PR is serialised in-process, and because two
 * processes (two bot replicas, the bot and the report action) can still race, the comments are
 * re-listed after a create and any extra marked comments are folded into the oldest one, which
 * survives — every racer reaches the same outcome.
 */
import type { components } from "@octokit/openapi-types";
import { type GitHubClient, githubError } from "./client.js";
import { withKeyedLock } from "./keyed-mutex.js";

export interface StickyComment {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden marker identifying the comment, e.g. `<!-- trainyard:report:iris -->`. */
  marker: string;
  /** Full Markdown body; the marker is added when missing. */
  body: string;
}

export interface StickyResult {
  id: number;
  url: string;
  action: "created" | "updated" | "unchanged";
  /** Duplicate comments removed (from an earlier race). */
  removed: number[];
}

type IssueComment = components["schemas"]["issue-comment"];
// GitHub's description types ids as int64 (number | bigint); Octokit hands us numbers.
type MarkedComment = Pick<IssueComment, "html_url"> & { id: number; body: string };

export function upsertStickyComment(octokit: GitHubClient, sticky: StickyComment): Promise<StickyResult> {
  const key = `${sticky.owner}/${sticky.repo}#${sticky.issueNumber}${sticky.marker}`;
  return withKeyedLock(key, async () => {
    try {
      return await upsert(octokit, sticky);
    } catch (thrown) {
      throw githubError(
        `cannot update the Trainyard comment on ${sticky.owner}/${sticky.repo}#${sticky.issueNumber}`,
        thrown,
      );
    }
  });
}

async function upsert(octokit: GitHubClient, sticky: StickyComment): Promise<StickyResult> {
  const { owner, repo, issueNumber } = sticky;
  const body = sticky.body.includes(sticky.marker) ? sticky.body : `${sticky.marker}\n${sticky.body}`;
  let marked = await listMarked(octokit, sticky);
  let action: StickyResult["action"];
  if (marked.length === 0) {
    await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    action = "created";
    // Another writer may have created one at the same moment: look again and converge.
    marked = await listMarked(octokit, sticky);
  } else {
    action = marked[0]!.body === body ? "unchanged" : "updated";
  }
  const [keep, ...extras] = marked;
  if (!keep) throw new Error("the comment just created is not listed");
  for (const extra of extras) {
    await octokit.rest.issues
      .deleteComment({ owner, repo, comment_id: extra.id })
      .catch((thrown: unknown) => {
        // Another racer deleted it first: that is the outcome we want.
        if ((thrown as { status?: number }).status !== 404) throw thrown;
      });
  }
  if (keep.body !== body) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: keep.id, body });
  }
  return { id: keep.id, url: keep.html_url, action, removed: extras.map((c) => c.id) };
}

/** Marked comments written by a bot (a person quoting the marker must not hijack it), oldest first. */
async function listMarked(octokit: GitHubClient, sticky: StickyComment): Promise<MarkedComment[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: sticky.owner,
    repo: sticky.repo,
    issue_number: sticky.issueNumber,
    per_page: 100,
  });
  return comments
    .filter((c) => c.user?.type === "Bot" && (c.body ?? "").includes(sticky.marker))
    .map((c) => ({ id: c.id, body: c.body ?? "", html_url: c.html_url }))
    .sort((a, b) => a.id - b.id);
}
