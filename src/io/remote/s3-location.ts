/**
 * Where objects live in a bucket: `s3://bucket/prefix` + `objects/sha256/ab/cdef…`, the same
 * layout as the local store, so any S3 client can find an object from its oid alone.
 */
import { TrainyardError } from "../../core/errors.js";
import { type Oid, oidFromStoreKey, oidHex, oidStoreKey } from "../../core/oid.js";

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slash; "" for the bucket root. */
  prefix: string;
}

// S3 bucket naming rules (3–63 chars, lowercase letters, digits, dots, hyphens); underscores are
// accepted too because several S3-compatible servers allow them.
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match) throw new TrainyardError("config", `remote url "${url}" is not of the form s3://bucket/prefix`);
  const bucket = match[1]!;
  if (!BUCKET.test(bucket)) {
    throw new TrainyardError(
      "config",
      `remote url "${url}": "${bucket}" is not a valid bucket name (3–63 lowercase letters, digits, dots, hyphens)`,
    );
  }
  const segments = (match[2] ?? "").split("/").filter((s) => s !== "");
  if (segments.some((s) => s === "." || s === "..")) {
    throw new TrainyardError(
      "config",
      `remote url "${url}": the prefix must not contain "." or ".." segments`,
    );
  }
  return { bucket, prefix: segments.join("/") };
}

export function formatS3Url(location: S3Location): string {
  return location.prefix ? `s3://${location.bucket}/${location.prefix}` : `s3://${location.bucket}`;
}

/** Key prefix under which every object lives: `<prefix>/objects/sha256/`. */
export function objectsRoot(prefix: string): string {
  return prefix ? `${prefix}/objects/sha256/` : "objects/sha256/";
}

/** The shard folder (`…/objects/sha256/ab/`) an oid falls into. */
export function shardPrefix(prefix: string, oid: Oid): string {
  return `${objectsRoot(prefix)}${oidHex(oid).slice(0, 2)}/`;
}

export function objectKey(prefix: string, oid: Oid): string {
  return prefix ? `${prefix}/${oidStoreKey(oid)}` : oidStoreKey(oid);
}

/** The oid an object key stands for, or undefined for keys that are not objects (temp files, strays). */
export function oidFromKey(prefix: string, key: string): Oid | undefined {
  return key.startsWith(objectsRoot(prefix)) ? oidFromStoreKey(key) : undefined;
}

/** S3's `x-amz-checksum-sha256` is the base64 of the raw digest, i.e. our oid re-encoded. */
export function checksumSha256Of(oid: Oid): string {
  return Buffer.from(oidHex(oid), "hex").toString("base64");
}

/** Key prefix of run records: `<prefix>/runs/` (records are `runs/ab/cdef….json`, as in the local store). */
export function runsRoot(prefix: string): string {
  return prefix ? `${prefix}/runs/` : "runs/";
}

export function runRecordKey(prefix: string, fingerprint: Oid): string {
  const hex = oidHex(fingerprint);
  return `${runsRoot(prefix)}${hex.slice(0, 2)}/${hex.slice(2)}.json`;
}

/** The fingerprint a run-record key stands for, or undefined for anything else under `runs/`. */
export function fingerprintFromRunKey(prefix: string, key: string): Oid | undefined {
  if (!key.startsWith(runsRoot(prefix))) return undefined;
  const match = /^([0-9a-f]{2})\/([0-9a-f]{62})\.json$/.exec(key.slice(runsRoot(prefix).length));
  return match ? (`sha256:${match[1]}${match[2]}` as Oid) : undefined;
}
