/**
 * People arrive from DVC with `dvc.yaml` keys in mind. For a key trainyard.yaml does not take
 * where DVC has it, the unknown-key error says where it lives here instead of only "did you mean".
 */
import type { KeyPath } from "../yaml-document.js";

const TOP_LEVEL: Readonly<Record<string, string>> = {
  artifacts:
    'DVC\'s "artifacts" are "models" in trainyard.yaml: models.<name> with path, type and description (`trainyard init --from-dvc` converts them)',
  schema: '"schema" is a dvc.lock key; trainyard.lock is written by `trainyard run`, not by hand',
};

const IN_STAGE: Readonly<Record<string, string>> = {
  meta: 'DVC\'s "meta" has no equivalent in trainyard.yaml; use "desc" for a one-line description',
};

/** The hint for a DVC key at `path` (the object holding it), or undefined for any other key. */
export function dvcKeyHint(path: KeyPath, key: string): string | undefined {
  if (path.length === 0) return TOP_LEVEL[key];
  if (path.length === 2 && path[0] === "stages") return IN_STAGE[key];
  return undefined;
}
