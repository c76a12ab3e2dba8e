/**
 * Content ids. Everywhere in Trainyard (pointers, lock, manifests, store keys) an object is named
 * `sha256:<64 lowercase hex>` — the same digest git-lfs and S3 checksums use, so ids are portable.
 */
import { type ErrorCode, TrainyardError, type SourceLocation } from "./errors.js";

export type Oid = `sha256:${string}`;

export const OID_ALGORITHM = "sha256";
const OID_PATTERN = /^sha256:[0-9a-f]{64}$/;
const HEX_PATTERN = /^[0-9a-f]{64}$/;

export function isOid(value: unknown): value is Oid {
  return typeof value === "string" && OID_PATTERN.test(value);
}

/** Validate an id read from user or stored data; the error says what was expected. */
export function parseOid(value: unknown, code: ErrorCode = "usage", location?: SourceLocation): Oid {
  if (isOid(value)) return value;
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new TrainyardError(
    code,
    `invalid hash ${shown}: expected "sha256:" followed by 64 lowercase hex digits`,
    location,
  );
}

export function oidFromHex(hex: string): Oid {
  if (!HEX_PATTERN.test(hex)) throw new TrainyardError("corrupt", `not a sha256 hex digest: ${hex}`);
  return `sha256:${hex}`;
}

export function oidHex(oid: Oid): string {
  return oid.slice(OID_ALGORITHM.length + 1);
}

/** Store key shared by the local store and remotes: `objects/sha256/ab/cdef…`. */
export function oidStoreKey(oid: Oid): string {
  const hex = oidHex(oid);
  return `objects/${OID_ALGORITHM}/${hex.slice(0, 2)}/${hex.slice(2)}`;
}

/** Inverse of `oidStoreKey` (accepts an optional prefix before `objects/`); undefined if not an object key. */
export function oidFromStoreKey(key: string): Oid | undefined {
  const match = /(?:^|\/)objects\/sha256\/([0-9a-f]{2})\/([0-9a-f]{62})$/.exec(key);
  return match ? `sha256:${match[1]}${match[2]}` : undefined;
}

/** Short form for human output: `sha256:9f86d081`. */
export function shortOid(oid: Oid): string {
  return oid.slice(0, OID_ALGORITHM.length + 1 + 8);
}
