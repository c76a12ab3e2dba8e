/**
 * Registry tags through the git data API: an annotated tag is a tag object first, then the
 * `refs/tags/<name>` ref pointing at it — the same two steps `git tag -a` + `git push` make.
 * A redelivery finds its tag and does nothing. (Reading the registry: list-registry-tags.ts.)
 */
import type { Octokit } from "@octokit/rest";
import { TrainyardError, toError } from "../core/errors.js";
import { httpStatus } from "./client.js";
import { formatTagMessage, type TagMessage } from "../core/registry/tag-message.js";

type Api = Pick<Octokit, "rest">;

export interface AnnotatedTagRequest {
  owner: string;
  repo: string;
  name: string;
  message: string | TagMessage;
  /** The commit the tag names. */
  commit: string;
  tagger?: { name: string; email: string; date?: string };
}

/**
 * Creates the tag; `created: false` when the same tag already points at the same commit (a
 * redelivered webhook). A tag of that name on another commit is an error, never overwritten.
 */
export async function createAnnotatedTag(
  api: Api,
  request: AnnotatedTagRequest,
): Promise<{ created: boolean }> {
  const { owner, repo, name } = request;
  const existing = await peelTagRef(api, owner, repo, name);
  if (existing === request.commit) return { created: false };
  if (existing) {
    throw new TrainyardError(
      "github",
      `tag ${name} already exists on ${existing.slice(0, 7)}, not ${request.commit.slice(0, 7)}`,
    );
  }
  const { data: tag } = await api.rest.git.createTag({
    owner,
    repo,
    tag: name,
    message: typeof request.message === "string" ? request.message : formatTagMessage(request.message),
    object: request.commit,
    type: "commit",
    ...(request.tagger ? { tagger: request.tagger } : {}),
  });
  try {
    await api.rest.git.createRef({ owner, repo, ref: `refs/tags/${name}`, sha: tag.sha });
  } catch (error) {
    // Lost a race with a concurrent delivery: fine if it made the same tag.
    if ((await peelTagRef(api, owner, repo, name)) === request.commit) return { created: false };
    throw new TrainyardError("github", `could not create tag ${name}: ${toError(error).message}`, undefined, {
      cause: error,
    });
  }
  return { created: true };
}

async function peelTagRef(api: Api, owner: string, repo: string, name: string): Promise<string | undefined> {
  try {
    const { data } = await api.rest.git.getRef({ owner, repo, ref: `tags/${name}` });
    return await peel(api, owner, repo, data.object.sha, data.object.type);
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}

async function peel(api: Api, owner: string, repo: string, sha: string, type: string): Promise<string> {
  let current = { sha, type };
  for (let depth = 0; current.type === "tag" && depth < 5; depth++) {
    const { data } = await api.rest.git.getTag({ owner, repo, tag_sha: current.sha });
    current = data.object;
  }
  return current.sha;
}
