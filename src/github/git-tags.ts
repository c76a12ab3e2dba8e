/**
 * Registry tags through the git data API: an annotated tag is a tag object first, then the
 * `refs/tags/<name>` ref pointing at it — the same two steps `git tag -a` + `git push` make.
 * Reading peels each registry ref to the commit it names.
 */
import type { Octokit } from "@octokit/rest";
import pLimit from "p-limit";
import { TrainyardError, toError } from "../core/errors.js";
import type { TagRecord } from "../core/registry/registry-state.js";
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

/**
 * Tags whose name starts with `prefix` (a model name), as the registry state wants them: peeled
 * commit, tagger date and message. One request per annotated tag, eight at a time.
 */
export async function listTagRecords(
  api: Api,
  owner: string,
  repo: string,
  prefix: string,
): Promise<TagRecord[]> {
  const { data: refs } = await api.rest.git.listMatchingRefs({ owner, repo, ref: `tags/${prefix}` });
  const limit = pLimit(8);
  return Promise.all(
    refs.map((ref) =>
      limit(async (): Promise<TagRecord> => {
        const name = ref.ref.slice("refs/tags/".length);
        if (ref.object.type !== "tag") return { name, commit: ref.object.sha, annotated: false, date: 0 };
        const { data: tag } = await api.rest.git.getTag({ owner, repo, tag_sha: ref.object.sha });
        const commit = await peel(api, owner, repo, tag.object.sha, tag.object.type);
        const date = Math.floor(Date.parse(tag.tagger.date) / 1000) || 0;
        return { name, commit, annotated: true, date, tagger: tag.tagger.name, message: tag.message };
      }),
    ),
  );
}

async function peelTagRef(api: Api, owner: string, repo: string, name: string): Promise<string | undefined> {
  try {
    const { data } = await api.rest.git.getRef({ owner, repo, ref: `tags/${name}` });
    return await peel(api, owner, repo, data.object.sha, data.object.type);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
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

export function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error) {
    const status = (error as { status: unknown }).status;
    return typeof status === "number" ? status : undefined;
  }
  return undefined;
}
