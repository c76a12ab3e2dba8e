/**
 * `trainyard update [path…]`: refresh imported data (pointers with a `source:`) to their
 * upstream's current version, and `trainyard import`'s entry point. With no path, every imported
 * pointer of the repository is refreshed; a named pointer without a source is an error.
 */
import { TrainyardError } from "../../core/errors.js";
import { isRepoSource } from "../../core/pointer-source.js";
import { withDataContext } from "../data/index.js";
import type { Repo } from "../git/index.js";
import { readStoreConfig } from "../remote/index.js";
import { findPointerFiles, loadTrackedData, resolvePointerTargets } from "../store/index.js";
import { placeArtifact, refreshArtifactImport, resolveImport } from "./import-artifact.js";
import { type ImportOutcome, readPointerIfAny, refreshUrlImport } from "./import-url.js";
import { assertReplaceable, checkImportTarget } from "./place-imported.js";

export async function updateImports(
  repo: Repo,
  targets: readonly string[],
  options: { cwd?: string } = {},
): Promise<ImportOutcome[]> {
  const named = targets.length > 0;
  const pointers = named
    ? resolvePointerTargets(repo, options.cwd ?? repo.root, targets)
    : findPointerFiles(repo);
  const store = await readStoreConfig(repo);
  return withDataContext(repo, {}, async (ctx) => {
    const outcomes: ImportOutcome[] = [];
    for (const file of pointers) {
      const tracked = loadTrackedData(repo, file);
      const { pointer } = tracked;
      if (!pointer.source) {
        if (named)
          throw new TrainyardError(
            "usage",
            `${file} was not made by import-url or import: nothing to update`,
          );
        continue;
      }
      const target = { abs: tracked.dataAbs, path: tracked.dataPath, pointerFile: file };
      const source = pointer.source;
      outcomes.push(
        isRepoSource(source)
          ? await refreshArtifactImport(ctx, target, { ...pointer, source })
          : await refreshUrlImport(ctx, target, { ...pointer, source }, store),
      );
    }
    return outcomes;
  });
}

export async function importArtifact(
  repo: Repo,
  repoUrl: string,
  ref: string,
  given: string,
  options: { cwd?: string; force?: boolean; remote?: string } = {},
): Promise<ImportOutcome> {
  const target = checkImportTarget(repo, options.cwd ?? repo.root, given);
  const resolved = await resolveImport(repoUrl, ref, options.remote);
  return withDataContext(repo, {}, async (ctx) => {
    assertReplaceable(target, readPointerIfAny(repo, target), options.force ?? false);
    return placeArtifact(ctx, target, repoUrl, ref, resolved);
  });
}
