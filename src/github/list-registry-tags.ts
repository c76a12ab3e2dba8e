/**
 * The registry's tags read through the API (for the bot and the actions, which have no clone):
 * matching refs under `refs/tags/<artifact>`, then each annotated tag object for its message,
 * tagger date and target — the same `TagRecord`s `listTags` reads from a local repository, so
 * `buildRegistryState` works on either.
 */
import pLimit from "p-limit";
import { artifactToTag } from "../core/registry/tag-grammar.js";
import type { TagRecord } from "../core/registry/registry-state.js";
import { type GitHubClient, githubError } from "./client.js";

export interface RegistryTagQuery {
  owner: string;
  repo: string;
  /** Only tags of this artifact (`iris@…`, `iris#…`); default all tags. */
  artifact?: string;
  /** Concurrent tag-object reads. */
  concurrency?: number;
}

export async function listRegistryTags(octokit: GitHubClient, query: RegistryTagQuery): Promise<TagRecord[]> {
  const { owner, repo } = query;
  // `vision:classifier` is spelled `vision=classifier` in tags (GTO's folder prefix).
  const prefix = query.artifact === undefined ? undefined : artifactToTag(query.artifact);
  try {
    // GitHub's description gives this route no paging parameters: one call returns every match.
    const { data: refs } = await octokit.rest.git.listMatchingRefs({
      owner,
      repo,
      ref: prefix ? `tags/${prefix}` : "tags/",
    });
    const names = refs
      .map((ref) => ({ name: ref.ref.replace(/^refs\/tags\//, ""), object: ref.object }))
      // The prefix also matches `iris2@…`; keep only this artifact's own tags.
      .filter(({ name }) => !prefix || /^[@#]/.test(name.slice(prefix.length)));
    const limit = pLimit(query.concurrency ?? 8);
    return await Promise.all(
      names.map(({ name, object }) =>
        limit(async (): Promise<TagRecord> => {
          if (object.type !== "tag") return { name, commit: object.sha, annotated: false, date: 0 };
          const { data: tag } = await octokit.rest.git.getTag({ owner, repo, tag_sha: object.sha });
          return {
            name,
            commit: tag.object.sha,
            annotated: true,
            date: Math.floor(Date.parse(tag.tagger.date) / 1000) || 0,
            tagger: `${tag.tagger.name} <${tag.tagger.email}>`,
            message: tag.message,
          };
        }),
      ),
    );
  } catch (thrown) {
    throw githubError(`cannot list the registry tags of ${owner}/${repo}`, thrown);
  }
}
