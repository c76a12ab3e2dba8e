/**
 * What to tell a user whose object is not in the local store: pull it from the S3 remote when one
 * is configured (naming it), or rebuild it with `run` when a stage makes it. Never suggest `pull`
 * when there is nothing to pull from.
 */
import { readConfig, workingTreeReader } from "../config/index.js";
import type { Repo } from "../git/index.js";

export async function missingObjectHint(repo: Repo, stage?: string): Promise<string> {
  let remotes: string[] = [];
  try {
    // The store section only (schema checks), read by the one config loader.
    const store = (await readConfig(workingTreeReader(repo.root), { schemaOnly: true }))?.config.store;
    remotes = Object.entries(store?.remotes ?? {})
      .filter(([, r]) => r.url.startsWith("s3://"))
      .map(([name]) => name);
  } catch {
    // An invalid trainyard.yaml is reported by the commands that read it; the hint falls back.
  }
  const rebuild = stage ? `rebuild it with "trainyard run ${stage}"` : undefined;
  if (remotes.length > 0) {
    const pull = `pull it with "trainyard pull --remote ${remotes[0]}"${remotes.length > 1 ? ` (remotes: ${remotes.join(", ")})` : ""}`;
    return rebuild ? `${pull}, or ${rebuild}` : pull;
  }
  return rebuild ?? `no S3 remote is configured, so add the data again with "trainyard add" where it exists`;
}
