/**
 * `trainyard import <git-repo> <artifact>[@version|#stage] <path>`: a registered model or dataset
 * of another repository, resolved and downloaded by the `trainyard get` machinery (registry tags,
 * that commit's lock or pointer, that commit's S3 store; every object verified against its sha256),
 * tracked here with a pointer whose `source:` records its lineage: repository, the reference
 * followed, the registry tag, the commit and the path there. `update` re-resolves the reference
 * (`#production` follows promotions; `@v1.2.0` stays put) and downloads only on a change.
 */
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { TrainyardError } from "../../core/errors.js";
import { type Pointer, serializePointer } from "../../core/pointer.js";
import type { PointerSource } from "../../core/pointer-source.js";
import type { DataContext } from "../data/index.js";
import { newRepoTempPath, writeFileAtomic } from "../fs/index.js";
import { mustGit } from "../git/index.js";
import { downloadArtifact, type ResolvedArtifact, resolveRemoteArtifact } from "../registry/index.js";
import type { ImportOutcome } from "./import-url.js";
import { type ImportTarget, placeImported } from "./place-imported.js";

type RepoSource = Extract<PointerSource, { repo: string }>;

/** A repository URL is recorded in pointers: it may not carry credentials. */
export function assertRecordableRepoUrl(url: string): void {
  const userinfo = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)@/.exec(url);
  if (userinfo && userinfo[1]!.toLowerCase() !== "ssh") {
    const shown = url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1***@");
    throw new TrainyardError(
      "usage",
      `repository URL ${shown} carries credentials; they are never recorded, so use a credential helper or GIT_TOKEN instead`,
    );
  }
}

export async function resolveImport(
  repoUrl: string,
  ref: string,
  remote?: string,
): Promise<ResolvedArtifact> {
  assertRecordableRepoUrl(repoUrl);
  return resolveRemoteArtifact(repoUrl, ref, remote ? { remote } : {});
}

function lineage(repoUrl: string, ref: string, resolved: ResolvedArtifact): RepoSource {
  return {
    repo: repoUrl,
    ref,
    tag: `${resolved.artifact}@${resolved.version}`,
    commit: resolved.commit,
    path: resolved.path,
  };
}

/** Download a resolved artifact (verified) and track it at `target`. */
export async function placeArtifact(
  ctx: DataContext,
  target: ImportTarget,
  repoUrl: string,
  ref: string,
  resolved: ResolvedArtifact,
): Promise<ImportOutcome> {
  // Named like every temp path, so a killed import's leftovers are removed by the next command.
  const staging = await newRepoTempPath(ctx.repo, "import");
  await mkdir(staging);
  try {
    const got = await downloadArtifact({ ...resolved, card: undefined } as ResolvedArtifact, staging);
    const source = lineage(repoUrl, ref, resolved);
    await placeImported(
      ctx,
      target,
      got.path,
      {
        oid: `sha256:${resolved.sha256.replace(/^sha256:/, "")}`,
        size: resolved.size,
        directory: resolved.directory,
      },
      source,
    );
    return {
      path: target.path,
      pointer: target.pointerFile,
      hash: `sha256:${resolved.sha256.replace(/^sha256:/, "")}`,
      size: resolved.size,
      action: "downloaded",
      source,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `update` for an `import` pointer. */
export async function refreshArtifactImport(
  ctx: DataContext,
  target: ImportTarget,
  pointer: Pointer & { source: RepoSource },
): Promise<ImportOutcome> {
  const { repo, ref } = pointer.source;
  const resolved = await resolveImport(repo, ref);
  const hash = `sha256:${resolved.sha256.replace(/^sha256:/, "")}`;
  if (hash !== pointer.hash || !existsSync(target.abs))
    return placeArtifact(ctx, target, repo, ref, resolved);
  const source = lineage(repo, ref, resolved);
  const same = JSON.stringify(source) === JSON.stringify(pointer.source);
  if (!same) {
    // Same bytes registered again (another tag or commit): only the lineage moves.
    await writeFileAtomic(
      ctx.guard.check(`${ctx.repo.root}/${target.pointerFile}`),
      serializePointer({ ...pointer, source }),
    );
    if (ctx.repo.isGit) await mustGit(ctx.repo.root, ["add", "--", target.pointerFile], "git add failed");
  }
  return {
    path: target.path,
    pointer: target.pointerFile,
    hash,
    size: pointer.size,
    action: same ? "unchanged" : "version-only",
    source,
  };
}
