/** Optional GitHub Release for a registered version; its notes are the model card. */
import type { Octokit } from "@octokit/rest";

type Api = Pick<Octokit, "rest">;

/** GitHub refuses release bodies over 125,000 characters. */
export const RELEASE_BODY_LIMIT = 125_000;

export async function createModelRelease(
  api: Api,
  request: { owner: string; repo: string; tag: string; name: string; notes: string },
): Promise<{ url: string }> {
  const notice = "\n\n…(model card truncated; see the repository for the full card)";
  const body =
    request.notes.length > RELEASE_BODY_LIMIT
      ? request.notes.slice(0, RELEASE_BODY_LIMIT - notice.length) + notice
      : request.notes;
  const { data } = await api.rest.repos.createRelease({
    owner: request.owner,
    repo: request.repo,
    tag_name: request.tag,
    name: request.name,
    body,
  });
  return { url: data.html_url };
}
