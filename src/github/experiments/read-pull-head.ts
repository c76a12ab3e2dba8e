/**
 * The pull request an experiments command acts on: open, and from a branch of this repository.
 * A fork's branch is refused: its code would run with the experiment workflow's store credentials,
 * and the bot cannot push to it anyway.
 */
import { repoKey } from "../../core/promotion/index.js";
import { type GitHubClient, httpStatus } from "../client.js";

export type PullHead = { ok: true; sha: string; branch: string } | { ok: false; reason: string };

export async function readPullHead(
  api: GitHubClient,
  where: { owner: string; repo: string; pull: number },
): Promise<PullHead> {
  let data: Awaited<ReturnType<GitHubClient["rest"]["pulls"]["get"]>>["data"];
  try {
    ({ data } = await api.rest.pulls.get({ owner: where.owner, repo: where.repo, pull_number: where.pull }));
  } catch (error) {
    return {
      ok: false,
      reason: `I could not read this pull request (GitHub answered HTTP ${httpStatus(error) ?? "error"})`,
    };
  }
  if (data.state !== "open") return { ok: false, reason: "this pull request is closed" };
  const headRepo = data.head.repo?.full_name;
  if (!headRepo || headRepo.toLowerCase() !== repoKey(where.owner, where.repo)) {
    return {
      ok: false,
      reason:
        "this pull request comes from a fork; experiments run the branch's code with the workflow's credentials, so they only run on branches of this repository",
    };
  }
  return { ok: true, sha: data.head.sha, branch: data.head.ref };
}
