/**
 * Pick a remote from `store.remotes` in trainyard.yaml and open it. Only `s3://` remotes move data
 * over the network; the local store is the one everything else reads and writes.
 */
import { CONFIG_FILE } from "../../core/file-names.js";
import type { Config } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import { readConfig, workingTreeReader } from "../config/index.js";
import type { Repo } from "../git/index.js";
import type { RemoteStore } from "./remote.js";
import { createS3Remote, type S3RemoteOptions } from "./s3-remote.js";

export type StoreConfig = Config["store"];

export interface OpenedRemote {
  remote: RemoteStore;
  /** `jobs` from the remote's config, when set. */
  jobs?: number;
}

/** The `store` section of trainyard.yaml (validated: errors name file:line:column and key). */
export async function readStoreConfig(repo: Repo): Promise<StoreConfig | undefined> {
  // Only the schema: the params rules need the params file, which the store section never does.
  return (await readConfig(workingTreeReader(repo.root), { schemaOnly: true }))?.config.store;
}

/** The remote to transfer with: `name`, else `store.default` if it is not the local store, else the only S3 remote. */
export function chooseRemoteName(store: StoreConfig | undefined, name?: string): string {
  const remotes = store?.remotes ?? {};
  const s3 = Object.entries(remotes).filter(([, r]) => r.url.startsWith("s3://"));
  const listed = s3.map(([n]) => n).join(", ") || "none";
  if (name !== undefined) {
    const remote = remotes[name];
    if (!remote)
      throw new TrainyardError(
        "usage",
        `no remote named "${name}" in ${CONFIG_FILE} store.remotes (S3 remotes: ${listed})`,
      );
    if (!remote.url.startsWith("s3://")) {
      throw new TrainyardError(
        "usage",
        `remote "${name}" (${remote.url}) is the local store, not an s3:// remote to transfer with`,
      );
    }
    return name;
  }
  const fallback = store?.default;
  if (fallback && remotes[fallback]?.url.startsWith("s3://")) return fallback;
  if (s3.length === 1) return s3[0]![0];
  throw new TrainyardError(
    "usage",
    s3.length === 0
      ? `no s3:// remote in ${CONFIG_FILE} store.remotes; add one, e.g. team: { url: s3://bucket/prefix }`
      : `several S3 remotes (${listed}): choose one with --remote NAME`,
  );
}

export async function openRemote(
  repo: Repo,
  name?: string,
  options: S3RemoteOptions = {},
): Promise<OpenedRemote> {
  const store = await readStoreConfig(repo);
  const chosen = chooseRemoteName(store, name);
  return openRemoteEntry(chosen, store!.remotes[chosen]!, options);
}

/** Open one `store.remotes` entry (e.g. read from another repository's config at some commit). */
export function openRemoteEntry(
  name: string,
  config: StoreConfig["remotes"][string],
  options: S3RemoteOptions = {},
): OpenedRemote {
  const remote = createS3Remote(
    {
      name,
      url: config.url,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.region ? { region: config.region } : {}),
      ...(config.force_path_style !== undefined ? { forcePathStyle: config.force_path_style } : {}),
    },
    options,
  );
  return { remote, ...(config.jobs ? { jobs: config.jobs } : {}) };
}
