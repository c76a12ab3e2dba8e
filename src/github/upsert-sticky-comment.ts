/**
 * One comment per PR and purpose, found again by a hidden marker and updated in place (cml's
 * watermark idea). Never duplicates: work on one PR is serialised in-process, and because two
 * processes (two bot replicas, the bot and the report action) can still race, the comments are
 * re-listed after a create and any extra marked comments are folded into the oldest one, which
 * survives — every racer reaches the same outcome.
 */
import type { components } from "@octokit/openapi-types";
import { formatMarker, isStickyFor, type MarkerTrust, repoKey } from "../core/promotion/index.js";
import { type GitHubClient, githubError } from "./client.js";
import { withKeyedLock } from "./keyed-mutex.js";

export interface StickyComment {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden marker identifying the comment, e.g. `<!-- trainyard:report:iris -->`. */
  marker: string;
  /**
   * Full Markdown body (the marker is added when missing), or a function of the current body
   * (undefined when there is none yet), called under the per-comment lock so that a body built
   * from the previous one (the iterations table) never loses a concurrent update in this process.
   */
  body: string | ((previous: string | undefined) => string);
  /**
   * Which existing comments are this sticky comment. The bot passes "written by our app with a
   * verified marker for this PR and purpose"; without it (the `report` action, which has no app
   * key) any bot's comment containing `marker` is taken, as before.
   */
  owns?: (comment: IssueComment) => boolean;
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
  let marked = await listMarked(octokit, sticky);
  const text = typeof sticky.body === "string" ? sticky.body : sticky.body(marked[0]?.body);
  const body = text.includes(sticky.marker) ? text : `${sticky.marker}\n${text}`;
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

/** Our marked comments (a person or another app quoting the marker must not hijack it), oldest first. */
async function listMarked(octokit: GitHubClient, sticky: StickyComment): Promise<MarkedComment[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: sticky.owner,
    repo: sticky.repo,
    issue_number: sticky.issueNumber,
    per_page: 100,
  });
  const owns =
    sticky.owns ?? ((c: IssueComment) => c.user?.type === "Bot" && (c.body ?? "").includes(sticky.marker));
  return comments
    .filter((c) => owns(c))
    .map((c) => ({ id: c.id, body: c.body ?? "", html_url: c.html_url }))
    .sort((a, b) => a.id - b.id);
}

/**
 * The bot's sticky identity for one pull request and purpose: a signed marker naming the repo,
 * the pull request, the purpose and the commit spoken about, and the test that finds it again
 * (our app's comment whose marker verifies for this pull request and purpose).
 */
export function signedSticky(
  trust: MarkerTrust,
  where: { owner: string; repo: string; pull: number },
  purpose: string,
  sha: string,
): Pick<StickyComment, "marker" | "owns"> {
  const scope = { repo: repoKey(where.owner, where.repo), pull: where.pull, purpose };
  return {
    marker: formatMarker(trust, "sticky", { ...scope, sha }),
    owns: (comment) => isStickyFor(comment, trust, scope),
  };
}
