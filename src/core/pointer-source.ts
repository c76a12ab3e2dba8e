/**
 * Where an imported `.ty` pointer's data came from, so `trainyard update` can refresh it:
 *
 *   source:                         # trainyard import-url
 *     url: https://example.com/d.csv
 *     etag: '"5d41402a"'            # the upstream version when it was downloaded
 *     last_modified: Tue, 01 Apr 2025 10:00:00 GMT
 *
 *   source:                         # trainyard import
 *     repo: https://github.com/org/data-registry.git
 *     ref: iris#production          # what `update` follows (a stage moves, a version does not)
 *     tag: iris@v1.2.0              # the registry tag it resolved to
 *     commit: 0a1b…                 # 40 hex digits
 *     path: models/iris.json        # the artifact's path in that repository
 *
 * The data's sha256 is the pointer's own `hash`. Pure: parsing and serialising.
 */
import { stringify } from "yaml";
import { TrainyardError } from "./errors.js";
import { parseExternalDep, REMOTE_VERSION_KEYS, type RemoteVersion } from "./external-dep.js";
import type { PositionedYaml } from "./yaml-document.js";

export type { RemoteVersion };

export type PointerSource =
  | ({ url: string } & RemoteVersion)
  | { repo: string; ref: string; tag: string; commit: string; path: string };

const URL_KEYS = ["url", ...REMOTE_VERSION_KEYS] as const;
const REPO_KEYS = ["repo", "ref", "tag", "commit", "path"] as const;

export function isRepoSource(source: PointerSource): source is Extract<PointerSource, { repo: string }> {
  return "repo" in source;
}

export function parsePointerSource(value: unknown, doc: PositionedYaml): PointerSource {
  const where = (key?: string) => doc.locate(key ? ["source", key] : ["source"]);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TrainyardError("pointer", "expected a mapping with url, or repo and ref", where());
  }
  const record = value as Record<string, unknown>;
  const keys: readonly string[] = "repo" in record ? REPO_KEYS : URL_KEYS;
  for (const [key, v] of Object.entries(record)) {
    if (!keys.includes(key)) {
      throw new TrainyardError("pointer", `unknown key; expected one of ${keys.join(", ")}`, where(key));
    }
    if (typeof v !== "string" || v === "")
      throw new TrainyardError("pointer", "expected a string", where(key));
  }
  const text = record as Record<string, string>;
  if ("repo" in record) {
    for (const key of REPO_KEYS) {
      if (!text[key]) throw new TrainyardError("pointer", `missing required key "${key}"`, where());
    }
    if (!/^[0-9a-f]{40}$/.test(text.commit!)) {
      throw new TrainyardError("pointer", "expected a 40-digit commit id", where("commit"));
    }
    return { repo: text.repo!, ref: text.ref!, tag: text.tag!, commit: text.commit!, path: text.path! };
  }
  if (!text.url) throw new TrainyardError("pointer", 'missing required key "url" (or "repo")', where());
  try {
    parseExternalDep(text.url);
  } catch (thrown) {
    throw new TrainyardError("pointer", (thrown as Error).message, where("url"));
  }
  const source: PointerSource = { url: text.url };
  for (const key of REMOTE_VERSION_KEYS) if (text[key]) source[key] = text[key];
  return source;
}

/** The `source:` block, indented under the pointer's other keys. */
export function serializePointerSource(source: PointerSource): string {
  const ordered: Record<string, string> = {};
  const keys: readonly string[] = isRepoSource(source) ? REPO_KEYS : URL_KEYS;
  for (const key of keys) {
    const v = (source as Record<string, string | undefined>)[key];
    if (v !== undefined) ordered[key] = v;
  }
  return stringify({ source: ordered }, { lineWidth: 0 });
}
