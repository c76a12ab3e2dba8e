/** The registry state of some models, rebuilt from the repository's tags through the API. */
import { buildRegistryState, type RegistryState, type TagRecord } from "../core/registry/registry-state.js";
import type { GitHubClient } from "./client.js";
import { listTagRecords } from "./git-tags.js";

export async function readRegistry(
  api: GitHubClient,
  where: { owner: string; repo: string },
  models: readonly string[],
): Promise<RegistryState> {
  const byName = new Map<string, TagRecord>();
  // One prefix query per model: `tags/iris` also returns `iris2@…`, which the state ignores for iris.
  for (const model of new Set(models)) {
    for (const tag of await listTagRecords(api, where.owner, where.repo, model)) byName.set(tag.name, tag);
  }
  return buildRegistryState([...byName.values()]);
}

/** Whether `commit` is on the default branch (an ancestor of, or equal to, its head). */
export async function isOnDefaultBranch(
  api: GitHubClient,
  where: { owner: string; repo: string; defaultBranch: string },
  commit: string,
): Promise<boolean | undefined> {
  try {
    const { data } = await api.rest.repos.compareCommitsWithBasehead({
      owner: where.owner,
      repo: where.repo,
      basehead: `${commit}...${where.defaultBranch}`,
      per_page: 1,
    });
    return data.status === "ahead" || data.status === "identical";
  } catch {
    return undefined; // unknown: the registry rules treat it as "not verified" and refuse
  }
}
