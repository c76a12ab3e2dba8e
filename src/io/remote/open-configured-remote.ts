/**
 * The remote an automated run pulls from and pushes to: the one named, else the configured S3
 * remote; none when the project only has its local store (a run then neither pulls nor pushes).
 */
import type { Repo } from "../git/index.js";
import { chooseRemoteName, openRemote, readStoreConfig } from "./open-remote.js";
import type { RemoteStore } from "./remote.js";

export async function openConfiguredRemote(repo: Repo, name: string): Promise<RemoteStore | undefined> {
  const store = await readStoreConfig(repo);
  const hasS3 = Object.values(store?.remotes ?? {}).some((r) => r.url.startsWith("s3://"));
  if (!name && !hasS3) return undefined;
  return (await openRemote(repo, chooseRemoteName(store, name || undefined))).remote;
}
