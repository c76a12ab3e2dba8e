/** The registry state of some models, rebuilt from the repository's tags through the API. */
import { buildRegistryState, type RegistryState, type TagRecord } from "../core/registry/registry-state.js";
import type { GitHubClient } from "./client.js";
import { listRegistryTags } from "./list-registry-tags.js";

export async function readRegistry(
  api: GitHubClient,
  where: { owner: string; repo: string },
  models: readonly string[],
): Promise<RegistryState> {
  const byName = new Map<string, TagRecord>();
  for (const artifact of new Set(models)) {
    for (const tag of await listRegistryTags(api, { ...where, artifact })) byName.set(tag.name, tag);
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
