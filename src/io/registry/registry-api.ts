/**
 * The two calls a Node service needs to deploy what a registry names, from any git repository
 * without a clone: `resolve` says what (version, commit, paths, sha256, store URLs), `get`
 * downloads it, verified. Exported from `trainyard/api`.
 */
import { downloadArtifact, type GotArtifact } from "./get-artifact.js";
import { type ResolvedArtifact, resolveRemoteArtifact } from "./resolve-artifact.js";

export interface ResolveOptions {
  /** Store remote name from the repository's trainyard.yaml (default: its S3 remote). */
  remote?: string;
}

/** `resolve("https://github.com/o/r.git", "iris#production")`. */
export function resolve(
  repository: string,
  ref: string,
  options: ResolveOptions = {},
): Promise<ResolvedArtifact> {
  return resolveRemoteArtifact(repository, ref, options);
}

/** `get(repo, "iris#production", "./model")`: resolve, then download and verify every object. */
export async function get(
  repository: string,
  ref: string,
  outDir: string,
  options: ResolveOptions = {},
): Promise<{ resolved: ResolvedArtifact; written: GotArtifact }> {
  const resolved = await resolveRemoteArtifact(repository, ref, options);
  return { resolved, written: await downloadArtifact(resolved, outDir) };
}
