/**
 * Params referenced by dotted keys (`train.n_estimators`, or a whole section `train`) of the
 * project params file, or of another file (`{other.yaml: [k]}`, recorded as `other.yaml:k`).
 */
import { type ParamsEntry, paramsReads } from "./stage-entries.js";

/** Parsed params files other than the project's, by repository path. */
export type ParamFiles = Readonly<Record<string, unknown>>;

/** How a key of another params file is named in the lock and in reasons: `other.yaml:lr`. */
export function fileParamKey(file: string, key: string): string {
  return `${file}:${key}`;
}

/** The value at a dotted key, or undefined when any segment is missing. */
export function lookupParam(params: unknown, key: string): unknown {
  let node = params;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    if (!Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Every dotted key in a params document (sections and leaves), for "did you mean" hints. */
export function paramKeys(params: unknown, prefix = ""): string[] {
  if (params === null || typeof params !== "object" || Array.isArray(params)) return [];
  return Object.entries(params).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return [key, ...paramKeys(v, key)];
  });
}

/**
 * The values of the given keys as leaves (`train: {lr, depth}` becomes `train.depth`, `train.lr`),
 * sorted by key, for fingerprints and the lock. Comparing leaves means reordering a section's
 * keys, or listing `[train.lr, train.depth]` instead of `[train]`, is no change at all, and a
 * change names the leaf that moved.
 */
export function selectParams(
  params: unknown,
  entries: readonly ParamsEntry[],
  files: ParamFiles = {},
): Record<string, unknown> {
  const leaves: Record<string, unknown> = {};
  for (const { file, keys } of paramsReads(entries)) {
    if (file === undefined) {
      for (const key of keys) addLeaves(leaves, key, lookupParam(params, key));
      continue;
    }
    const doc = files[file];
    // DVC: an empty key list means every param of the file.
    const wanted = keys.length ? keys : Object.keys(isSection(doc) ? doc : {});
    for (const key of wanted) addLeaves(leaves, fileParamKey(file, key), lookupParam(doc, key));
  }
  return sortedByKey(leaves);
}

function isSection(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A record of dotted keys (as a lock stores it, old locks with whole sections included) as leaves. */
export function leafParams(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const leaves: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) addLeaves(leaves, key, value);
  return sortedByKey(leaves);
}

function addLeaves(out: Record<string, unknown>, key: string, value: unknown): void {
  const isSection = value !== null && typeof value === "object" && !Array.isArray(value);
  // An empty section is a value of its own (`{}`), not the absence of one.
  if (isSection && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) addLeaves(out, `${key}.${k}`, v);
  } else out[key] = value;
}

function sortedByKey(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
