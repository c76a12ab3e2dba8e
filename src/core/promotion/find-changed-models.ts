/**
 * Which models' artifacts changed between two commits, from the lock and pointer files alone.
 * Pure: the caller reads `trainyard.lock` and `*.ty` at both commits and passes the hashes.
 */
import type { Lock } from "../lock.js";

/** Every tracked artifact path → its content hash (stage outs, metrics, plots, pointer files). */
export type ArtifactHashes = ReadonlyMap<string, string>;

export function collectArtifactHashes(
  lock: Lock | undefined,
  pointers: readonly { path: string; hash: string }[] = [],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const stage of Object.values(lock?.stages ?? {})) {
    for (const entry of [...stage.outs, ...stage.metrics, ...stage.plots])
      out.set(trim(entry.path), entry.hash);
  }
  for (const p of pointers) out.set(trim(p.path), p.hash);
  return out;
}

/**
 * A model changed when any tracked artifact that is its path, contains it (an out directory),
 * or lies inside it (a model directory) has a different hash — or appeared or disappeared.
 * Returned in the order of `models`.
 */
export function findChangedModels(
  models: Readonly<Record<string, { path: string }>>,
  base: ArtifactHashes,
  head: ArtifactHashes,
): string[] {
  const paths = new Set([...base.keys(), ...head.keys()]);
  return Object.entries(models)
    .filter(([, model]) => {
      const target = trim(model.path);
      for (const path of paths) {
        if (!overlaps(path, target)) continue;
        if (base.get(path) !== head.get(path)) return true;
      }
      return false;
    })
    .map(([name]) => name);
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function trim(path: string): string {
  return path.replace(/^\.\//, "").replace(/\/+$/, "");
}
