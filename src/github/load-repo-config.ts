/** `trainyard.yaml` at a commit, read through the contents API by the one config loader. */
import type { Config } from "../core/config/schema.js";
import { type ConfigReader, readConfig } from "../io/config/index.js";
import type { GitHubClient } from "./client.js";
import { readTextAtRef } from "./read-file-at-ref.js";

/** A config reader over the contents API: the files of `owner/repo` at `ref`, no checkout. */
export function contentsApiReader(
  api: GitHubClient,
  where: { owner: string; repo: string; ref: string },
): ConfigReader {
  return {
    where: `${where.owner}/${where.repo}@${where.ref}`,
    // Errors are shown on the PR or commit they were read for, so the bare file name says enough.
    label: (file) => file,
    read: (path) => readTextAtRef(api, { ...where, path }),
  };
}

/** Undefined when the repository has no trainyard.yaml at `ref`; throws when it is invalid. */
export async function loadConfigAtRef(
  api: GitHubClient,
  where: { owner: string; repo: string; ref: string },
): Promise<Config | undefined> {
  return (await readConfig(contentsApiReader(api, where)))?.config;
}
