/**
 * The files of a registered version, ready to deploy: resolved against the commit's lock, pointer
 * and card (the card checked against the hash its registry tag recorded), downloaded from the store
 * remote with every object hashed before it is kept (a tampered object fails the download and
 * nothing is written), into a fresh folder.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VersionState } from "../../core/registry/registry-state.js";
import { downloadArtifact, resolveVersionIn } from "../registry/index.js";
import type { DeployedModel } from "./run-deploy-hook.js";

export async function fetchVerifiedVersion(
  root: string,
  model: string,
  stage: string,
  version: Pick<VersionState, "version" | "commit" | "cardHash">,
  options: { remote?: string; parentDir?: string } = {},
): Promise<DeployedModel & { commit: string; files: number; bytes: number }> {
  const resolved = await resolveVersionIn(root, `${model}@${version.version}`, version, {
    ...(options.remote ? { remote: options.remote } : {}),
  });
  const outDir = await mkdtemp(join(options.parentDir ?? tmpdir(), `trainyard-deploy-${model}-`));
  const written = await downloadArtifact(resolved, outDir);
  return {
    model,
    version: resolved.version,
    stage,
    commit: resolved.commit,
    path: written.path,
    sha256: resolved.sha256.replace(/^sha256:/, ""),
    card: written.card ?? "",
    files: written.files,
    bytes: written.bytes,
  };
}
