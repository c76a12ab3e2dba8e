/**
 * Data that lives outside the repository, named by a dep or an import: `s3://bucket/key`,
 * `https://host/path` (or `http://`), or an absolute file path. Pure: parsing, the one spelling
 * each form is recorded under, and redaction, so a URL's credentials never reach a lock, a
 * pointer or a message. A URL that carries credentials (user:password@, or a query parameter
 * such as `token=` or a presigned `X-Amz-Signature=`) is refused: credentials come from the
 * environment, and a refused URL is only ever shown redacted.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { TrainyardError } from "./errors.js";
import type { LockEntry } from "./lock.js";
import { normalizeRepoPath } from "./repo-path.js";

export type ExternalDep =
  | { kind: "s3"; spec: string; bucket: string; key: string }
  | { kind: "http"; spec: string; url: string }
  | { kind: "file"; spec: string; path: string };

export type ExternalKind = ExternalDep["kind"];

/** An external location's version as read from upstream; the fields set depend on the kind. */
export interface RemoteVersion {
  etag?: string;
  version_id?: string;
  last_modified?: string;
}

export const REMOTE_VERSION_KEYS = ["etag", "version_id", "last_modified"] as const;

/** Query parameters that carry secrets (compared lower-case). */
const CREDENTIAL_PARAMS =
  /^(x-amz-(signature|credential|security-token)|x-goog-(signature|credential)|sig|signature|token|access_token|auth|authorization|password|passwd|secret|api_?key|key|apikey|code)$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
// S3 bucket rules (3–63 chars: lowercase letters, digits, dots, hyphens; underscores for S3-compatible servers).
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

/** True when a dep names something outside the repository rather than a repository path. */
export function isExternalSpec(text: string): boolean {
  return SCHEME.test(text) || text.startsWith("/");
}

/** `text` with anything that may be a secret replaced by `***`: user info and every query value. */
export function redactUrl(text: string): string {
  const scheme = SCHEME.exec(text);
  if (!scheme) return text;
  const rest = text.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
  const at = authority.lastIndexOf("@");
  const host = at < 0 ? authority : `***@${authority.slice(at + 1)}`;
  const query = tail.indexOf("?");
  const path = query < 0 ? tail : tail.slice(0, query);
  const redactedQuery =
    query < 0
      ? ""
      : `?${tail
          .slice(query + 1)
          .replace(/#.*$/, "")
          .split("&")
          .map((pair) => `${pair.split("=")[0]}=***`)
          .join("&")}`;
  return `${scheme[0]}${host}${path.replace(/#.*$/, "")}${redactedQuery}`;
}

/** Why `text` is not a usable external location, or undefined when it is. Messages never echo secrets. */
export function externalDepProblem(text: string): string | undefined {
  try {
    parseExternalDep(text);
    return undefined;
  } catch (thrown) {
    return thrown instanceof TrainyardError ? thrown.message : String(thrown);
  }
}

function refuse(text: string, why: string): never {
  throw new TrainyardError("usage", `${JSON.stringify(redactUrl(text))} ${why}`);
}

/** Parse an external location into the one spelling the lock and pointers record. */
export function parseExternalDep(text: string): ExternalDep {
  if (/[\0\r\n\t]/.test(text) || /\s/.test(text)) refuse(text, "contains whitespace or control characters");
  if (text.startsWith("/")) return parseAbsolutePath(text);
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === "s3") return parseS3(text);
  if (scheme === "https" || scheme === "http") return parseHttp(text);
  return refuse(
    text,
    "is not an external location: expected s3://bucket/key, https://host/path or an absolute path",
  );
}

function parseAbsolutePath(text: string): ExternalDep {
  if (text.includes("\\")) refuse(text, "contains a backslash (use / as the separator)");
  if (text.split("/").includes("..")) refuse(text, 'contains ".."; write the absolute path it means');
  const path = posix.normalize(text).replace(/\/+$/, "");
  if (path === "" || path === "/") refuse(text, "names the file system root; expected a file");
  return { kind: "file", spec: path, path };
}

function parseS3(text: string): ExternalDep {
  const match = /^s3:\/\/([^/?#]+)\/([^?#]+)$/i.exec(text);
  if (!match) return refuse(text, "is not of the form s3://bucket/key (no query or fragment)");
  const [, bucket, key] = match as unknown as [string, string, string];
  if (bucket.includes("@")) refuse(text, "carries credentials; they come from the AWS credential chain");
  if (!BUCKET.test(bucket))
    refuse(text, `names an invalid bucket (3–63 lowercase letters, digits, dots, hyphens)`);
  if (key.endsWith("/")) refuse(text, "names a folder; an external dep is one object");
  return { kind: "s3", spec: `s3://${bucket}/${key}`, bucket, key };
}

function parseHttp(text: string): ExternalDep {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(text, "is not a valid URL");
  }
  if (url.username || url.password || /^[a-z]+:\/\/[^/?#]*@/i.test(text)) {
    refuse(text, "carries credentials (user:password@); they are never recorded, so such URLs are refused");
  }
  for (const name of url.searchParams.keys()) {
    if (CREDENTIAL_PARAMS.test(name.toLowerCase())) {
      refuse(text, `carries a credential in its query (${name}=); such URLs are refused`);
    }
  }
  if (!url.hostname) refuse(text, "has no host");
  url.hash = "";
  return { kind: "http", spec: url.href, url: url.href };
}

/** The key a dep is compared and recorded under: an external location's spelling, or the repository path. */
export function depKey(dep: string): string {
  return isExternalSpec(dep) ? parseExternalDep(dep).spec : normalizeRepoPath(dep);
}

/**
 * The lock entry of an external dep. A file outside the repository (or an https:// answer with
 * neither ETag nor Last-Modified) is recorded by its content's sha256; an S3 object or an https://
 * answer by its upstream version, and `hash` is then the digest of that version record, so the
 * stage fingerprint changes exactly when the upstream version does.
 */
export function externalLockEntry(
  spec: string,
  seen: { size: number; version: RemoteVersion; contentHash?: string },
): LockEntry {
  if (seen.contentHash) return { path: spec, hash: seen.contentHash, size: seen.size };
  const record = Object.fromEntries(
    REMOTE_VERSION_KEYS.flatMap((k) => (seen.version[k] !== undefined ? [[k, seen.version[k]]] : [])),
  );
  // Keys in one fixed order (spec, then REMOTE_VERSION_KEYS), so the digest is stable.
  const digest = createHash("sha256")
    .update(JSON.stringify({ v: 1, spec, ...record }))
    .digest("hex");
  return { path: spec, hash: `sha256:${digest}`, size: seen.size, ...record };
}

/** True when two version records name the same upstream version (fields missing on both sides agree). */
export function sameRemoteVersion(a: RemoteVersion, b: RemoteVersion): boolean {
  const known = REMOTE_VERSION_KEYS.filter((k) => a[k] !== undefined || b[k] !== undefined);
  return known.length > 0 && known.every((k) => a[k] === b[k]);
}
