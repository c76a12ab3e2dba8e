/** Reactions on a command comment: 👀 on receipt, 🚀 done, 👎 refused or failed. */
import type { Octokit } from "@octokit/rest";

type Api = Pick<Octokit, "rest">;

export const REACTIONS = { received: "eyes", done: "rocket", refused: "-1" } as const;
export type ReactionKey = keyof typeof REACTIONS;

/**
 * A reaction is a courtesy: failing to add one must not stop the command, so the error is
 * returned for logging instead of thrown.
 */
export async function reactToComment(
  api: Api,
  target: { owner: string; repo: string; commentId: number },
  reaction: ReactionKey,
): Promise<unknown> {
  try {
    await api.rest.reactions.createForIssueComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: target.commentId,
      content: REACTIONS[reaction],
    });
    return undefined;
  } catch (error) {
    return error;
  }
}
