/**
 * At-most-once for command comments, with no state of our own: the record lives on GitHub.
 *
 * Before a command comment runs, the bot (1) looks for its own reply recording that comment id,
 * (2) re-reads the comment through the API and refuses when it vanished or no longer says what
 * the delivery said (an edit, or a replay of an old delivery), and (3) claims the comment with
 * its 👀 reaction: GitHub answers 201 when the reaction is new and 200 when this app already
 * reacted, so of two replicas, or a restart and a redelivery under a new id, only one runs it.
 * A crash after the claim loses the command rather than running it twice.
 */
import { type CommentLike, type MarkerTrust, repoKey } from "../../core/promotion/index.js";
import { formatSignedMarker, isOwnComment, readSignedMarkers } from "../../core/trust/index.js";
import { httpStatus } from "../client.js";
import type { GitHubClient } from "../client.js";
import { REACTIONS } from "../reactions.js";

export interface CommandComment {
  owner: string;
  repo: string;
  issueNumber: number;
  comment: { id: number; body: string; user: { login: string } };
  trust: MarkerTrust;
}

export type Admission =
  | { run: true }
  /** Already handled (a recorded reply) or claimed by an earlier run: say nothing. */
  | { run: false; refusal?: undefined }
  /** Refused: reply with this reason (the reply records the comment as handled). */
  | { run: false; refusal: string };

const RECORD_KIND = "command";

interface CommandRecord {
  /** `owner/name`, lower case. */
  repo: string;
  issue: number;
  /** The command comment this reply answers. */
  comment: number;
}

/** The signed record a reply carries: the command comment it answers, on which issue and repo. */
export function formatCommandRecord(trust: MarkerTrust, record: CommandRecord): string {
  return formatSignedMarker(trust.key, RECORD_KIND, record);
}

function isCommandRecord(value: unknown): value is CommandRecord {
  const v = value as Partial<CommandRecord> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.repo === "string" &&
    typeof v.issue === "number" &&
    typeof v.comment === "number"
  );
}

/** Comment ids our own, verifying replies on this issue record as handled. */
function handledComments(
  comments: readonly CommentLike[],
  trust: MarkerTrust,
  where: { repo: string; issue: number },
): Set<number> {
  const handled = new Set<number>();
  for (const comment of comments) {
    if (!comment.body?.includes(`<!-- trainyard:${RECORD_KIND} `) || !isOwnComment(comment, trust.us))
      continue;
    const reading = readSignedMarkers(trust.key, comment.body, RECORD_KIND, isCommandRecord);
    for (const line of reading.rejected) trust.onRejected?.(RECORD_KIND, line);
    for (const r of reading.records)
      if (r.repo === where.repo && r.issue === where.issue) handled.add(r.comment);
  }
  return handled;
}

export async function admitCommandComment(api: GitHubClient, input: CommandComment): Promise<Admission> {
  const { owner, repo, comment } = input;
  const comments = await api.paginate(api.rest.issues.listComments, {
    owner,
    repo,
    issue_number: input.issueNumber,
    per_page: 100,
  });
  const where = { repo: repoKey(owner, repo), issue: input.issueNumber };
  if (handledComments(comments, input.trust, where).has(comment.id)) return { run: false };

  let current: { body?: string; user?: { login: string } | null };
  try {
    ({ data: current } = await api.rest.issues.getComment({ owner, repo, comment_id: comment.id }));
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || status === 410) {
      return { run: false, refusal: "the comment was deleted before I could act on it, so I ran nothing." };
    }
    return {
      run: false,
      refusal: `I could not re-read the comment (GitHub answered HTTP ${status ?? "error"}), so I ran nothing.`,
    };
  }

  let claimed: boolean;
  try {
    const { status } = await api.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: REACTIONS.received,
    });
    claimed = status === 201;
  } catch (error) {
    return {
      run: false,
      refusal: `I could not record that I am handling this comment (GitHub answered HTTP ${httpStatus(error) ?? "error"}), so I ran nothing.`,
    };
  }
  if (!claimed) return { run: false };

  if ((current.body ?? "") !== comment.body || current.user?.login !== comment.user.login) {
    return {
      run: false,
      refusal:
        "the comment was edited after it was posted (or this is a replay of an old delivery), so I ran nothing. Post a new comment to run a command.",
    };
  }
  return { run: true };
}
