/**
 * `trainyard import-url <url> <path>`: download an external location (s3://, https://, an absolute
 * path) into the store and track it with a `.ty` pointer that records where it came from and
 * which upstream version it is; `refreshUrlImport` is `update`'s half for such a pointer: it
 * downloads again only when the upstream version changed.
 */
import { existsSync, readFileSync } from "node:fs";
import type { StoreConfig } from "../../core/config/schema.js";
import { type ExternalDep, parseExternalDep, sameRemoteVersion } from "../../core/external-dep.js";
import { parsePointer, type Pointer } from "../../core/pointer.js";
import type { PointerSource, RemoteVersion } from "../../core/pointer-source.js";
import { type DataContext, withDataContext } from "../data/index.js";
import { newRepoTempPath, removeQuietly, writeFileAtomic } from "../fs/index.js";
import { mustGit, type Repo } from "../git/index.js";
import { readStoreConfig } from "../remote/index.js";
import { serializePointer } from "../../core/pointer.js";
import { assertReplaceable, checkImportTarget, type ImportTarget, placeImported } from "./place-imported.js";
import { downloadExternal, probeExternal } from "./fetch-external.js";

export interface ImportOutcome {
  path: string;
  pointer: string;
  hash: string;
  size: number;
  /** `downloaded`: new bytes; `version-only`: same bytes under a new upstream version; `unchanged`. */
  action: "downloaded" | "version-only" | "unchanged";
  source: PointerSource;
}

export interface ImportUrlOptions {
  cwd?: string;
  /** sha256 (hex or `sha256:hex`) the content must have. */
  sha256?: string;
  force?: boolean;
}

export function readPointerIfAny(repo: Repo, target: ImportTarget): Pointer | undefined {
  const file = `${repo.root}/${target.pointerFile}`;
  return existsSync(file) ? parsePointer(readFileSync(file, "utf8"), target.pointerFile) : undefined;
}

export async function importUrl(
  repo: Repo,
  url: string,
  given: string,
  options: ImportUrlOptions = {},
): Promise<ImportOutcome> {
  const dep = parseExternalDep(url);
  const target = checkImportTarget(repo, options.cwd ?? repo.root, given);
  const store = await readStoreConfig(repo);
  return withDataContext(repo, {}, async (ctx) => {
    assertReplaceable(target, readPointerIfAny(repo, target), options.force ?? false);
    return downloadInto(ctx, target, dep, store, options.sha256);
  });
}

async function downloadInto(
  ctx: DataContext,
  target: ImportTarget,
  dep: ExternalDep,
  store: StoreConfig | undefined,
  sha256?: string,
): Promise<ImportOutcome> {
  const temp = await newRepoTempPath(ctx.repo, "import");
  const got = await downloadExternal(dep, temp, {
    ...(store ? { store } : {}),
    ...(sha256 ? { expectedSha256: sha256 } : {}),
  });
  const source = urlSource(dep, got.version);
  const placed = await placeImported(
    ctx,
    target,
    temp,
    { oid: got.oid, size: got.size, directory: false },
    source,
  );
  return {
    path: target.path,
    pointer: placed.pointerFile,
    hash: got.oid,
    size: got.size,
    action: "downloaded",
    source,
  };
}

function urlSource(dep: ExternalDep, version: RemoteVersion): PointerSource {
  return { url: dep.spec, ...version };
}

/** `update` for an `import-url` pointer. */
export async function refreshUrlImport(
  ctx: DataContext,
  target: ImportTarget,
  pointer: Pointer & { source: { url: string } & RemoteVersion },
  store: StoreConfig | undefined,
): Promise<ImportOutcome> {
  const dep = parseExternalDep(pointer.source.url);
  const seen = await probeExternal(dep, store);
  const outcome = (action: ImportOutcome["action"], p: Pointer): ImportOutcome => ({
    path: target.path,
    pointer: target.pointerFile,
    hash: p.hash,
    size: p.size,
    action,
    source: p.source!,
  });
  const unchanged = seen
    ? seen.contentHash
      ? seen.contentHash === pointer.hash
      : sameRemoteVersion(seen.version, pointer.source)
    : false;
  if (unchanged && existsSync(target.abs)) return outcome("unchanged", pointer);
  const temp = await newRepoTempPath(ctx.repo, "import");
  const got = await downloadExternal(dep, temp, store ? { store } : {});
  if (got.oid === pointer.hash && existsSync(target.abs)) {
    // Same bytes under a new version (a re-upload): only the recorded version moves.
    await removeQuietly(temp);
    const next: Pointer = { ...pointer, source: urlSource(dep, got.version) };
    await writeFileAtomic(ctx.guard.check(`${ctx.repo.root}/${target.pointerFile}`), serializePointer(next));
    if (ctx.repo.isGit) await mustGit(ctx.repo.root, ["add", "--", target.pointerFile], "git add failed");
    return outcome("version-only", next);
  }
  const source = urlSource(dep, got.version);
  await placeImported(ctx, target, temp, { oid: got.oid, size: got.size, directory: false }, source);
  return {
    path: target.path,
    pointer: target.pointerFile,
    hash: got.oid,
    size: got.size,
    action: "downloaded",
    source,
  };
}
