/**
 * A directory is stored as a manifest object: the sorted list of its files `{path, hash, size, mode}`
 * serialised as canonical JSON. The directory's id is the sha256 of exactly those bytes, so two
 * machines that see the same tree compute the same id. Pure: no I/O here.
 */
import { TrainyardError } from "./errors.js";
import { isOid, type Oid } from "./oid.js";
import { unsafePathReason } from "./safe-path.js";

export interface ManifestEntry {
  /** POSIX path relative to the directory. */
  path: string;
  hash: Oid;
  size: number;
  /** Permission bits (`mode & 0o777`). */
  mode: number;
}

export type Manifest = readonly ManifestEntry[];

/** Code-unit order of the path: simple, total and identical in every JS engine. */
export function compareManifestPaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortManifest(entries: Iterable<ManifestEntry>): ManifestEntry[] {
  return [...entries].sort((a, b) => compareManifestPaths(a.path, b.path));
}

/** Canonical bytes: entries sorted by path, fixed key order, no whitespace, trailing newline. */
export function serializeManifest(entries: Manifest): string {
  const sorted = isSorted(entries) ? entries : sortManifest(entries);
  return `[${sorted.map(serializeManifestEntry).join(",")}]\n`;
}

/** One entry's canonical text; a manifest is `[` + entries joined by `,` + `]\n`. */
export function serializeManifestEntry(e: ManifestEntry): string {
  return `{"path":${JSON.stringify(e.path)},"hash":"${e.hash}","size":${e.size},"mode":${e.mode}}`;
}

export function manifestTotalSize(entries: Manifest): number {
  let total = 0;
  for (const e of entries) total += e.size;
  return total;
}

/**
 * Parse and validate manifest bytes read from a store. Refuses unsafe paths (absolute, `..`),
 * duplicates, unsorted lists and a file that is also used as a folder.
 */
export function parseManifest(text: string, source = "manifest"): ManifestEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TrainyardError("manifest", `${source}: not valid JSON (${(error as SyntaxError).message})`);
  }
  if (!Array.isArray(raw))
    throw new TrainyardError("manifest", `${source}: expected a JSON array of entries`);
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  raw.forEach((item: unknown, index) => {
    const entry = validateEntry(item, `${source}: entry ${index}`);
    const previous = entries[entries.length - 1];
    if (previous && compareManifestPaths(previous.path, entry.path) >= 0) {
      throw new TrainyardError(
        "manifest",
        `${source}: entry ${index} (${JSON.stringify(entry.path)}) is duplicated or out of order; entries must be sorted by path`,
      );
    }
    entries.push(entry);
    seen.add(entry.path);
  });
  for (const entry of entries) {
    for (let i = entry.path.indexOf("/"); i !== -1; i = entry.path.indexOf("/", i + 1)) {
      const parent = entry.path.slice(0, i);
      if (seen.has(parent)) {
        throw new TrainyardError(
          "manifest",
          `${source}: ${JSON.stringify(parent)} is both a file and a folder`,
        );
      }
    }
  }
  return entries;
}

const ENTRY_KEYS = ["path", "hash", "size", "mode"];

function validateEntry(item: unknown, where: string): ManifestEntry {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw new TrainyardError("manifest", `${where}: expected an object {path, hash, size, mode}`);
  }
  const record = item as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!ENTRY_KEYS.includes(key))
      throw new TrainyardError("manifest", `${where}: unknown key ${JSON.stringify(key)}`);
  }
  const { path, hash, size, mode } = record;
  if (typeof path !== "string") throw new TrainyardError("manifest", `${where}: "path" must be a string`);
  const reason = unsafePathReason(path);
  if (reason) {
    throw new TrainyardError(
      "path",
      `${where}: path ${JSON.stringify(path)} ${reason}; refusing to use this manifest`,
    );
  }
  if (!isOid(hash))
    throw new TrainyardError("manifest", `${where}: "hash" must be "sha256:" + 64 hex digits`);
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw new TrainyardError("manifest", `${where}: "size" must be a non-negative integer`);
  }
  if (typeof mode !== "number" || !Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    throw new TrainyardError("manifest", `${where}: "mode" must be permission bits between 0 and 0o777`);
  }
  return { path, hash, size, mode };
}

function isSorted(entries: Manifest): boolean {
  for (let i = 1; i < entries.length; i++) {
    if (compareManifestPaths(entries[i - 1]!.path, entries[i]!.path) >= 0) return false;
  }
  return true;
}

export interface ManifestDiff {
  added: string[];
  deleted: string[];
  modified: string[];
}

/** Files added, deleted and modified (hash or mode) going from `before` to `after`; each list sorted. */
export function diffManifests(before: Manifest, after: Manifest): ManifestDiff {
  const diff: ManifestDiff = { added: [], deleted: [], modified: [] };
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const a = before[i];
    const b = after[j];
    const order = a && b ? compareManifestPaths(a.path, b.path) : a ? -1 : 1;
    if (order < 0) {
      diff.deleted.push(a!.path);
      i++;
    } else if (order > 0) {
      diff.added.push(b!.path);
      j++;
    } else {
      if (a!.hash !== b!.hash || a!.mode !== b!.mode) diff.modified.push(a!.path);
      i++;
      j++;
    }
  }
  return diff;
}
