/**
 * Hidden markers the bot writes into its own comments and trusts when it reads them back:
 *
 *   <!-- trainyard:<kind> <json record> mac=<base64url HMAC-SHA256> -->
 *
 * The MAC covers the kind and the exact JSON, so a marker cannot be forged or moved to another
 * kind; every record names the repository, the pull request or deployment and the commit it is
 * about, so a genuine marker cannot be replayed elsewhere either (callers check that binding).
 * A marker is one whole line. Pure.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { MarkerKey } from "./marker-key.js";

const MAC_LENGTH = 43; // base64url of 32 bytes, unpadded

function mac(key: MarkerKey, kind: string, json: string): string {
  return createHmac("sha256", key).update(`trainyard-marker\u0000${kind}\u0000${json}`).digest("base64url");
}

/** JSON that can sit inside an HTML comment: `--`, `<` and `>` never appear literally. */
function commentSafeJson(record: unknown): string {
  return JSON.stringify(record)
    .replace(/-/g, "\\u002d")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function formatSignedMarker(key: MarkerKey, kind: string, record: object): string {
  const json = commentSafeJson(record);
  return `<!-- trainyard:${kind} ${json} mac=${mac(key, kind, json)} -->`;
}

export interface MarkerReading<T> {
  records: T[];
  /** Lines that look like this kind of marker but fail verification (forged, edited, old key). */
  rejected: string[];
}

/** Verified records of `kind` in `body`, in order; shape-checked by `valid`. */
export function readSignedMarkers<T>(
  key: MarkerKey,
  body: string,
  kind: string,
  valid: (value: unknown) => value is T,
): MarkerReading<T> {
  const records: T[] = [];
  const rejected: string[] = [];
  const prefix = `<!-- trainyard:${kind} `;
  for (const line of body.split("\n")) {
    if (!line.startsWith(prefix) || !line.endsWith(" -->")) continue;
    const inner = line.slice(prefix.length, -" -->".length);
    const at = inner.lastIndexOf(" mac=");
    const json = at < 0 ? "" : inner.slice(0, at);
    const given = at < 0 ? "" : inner.slice(at + " mac=".length);
    if (given.length !== MAC_LENGTH || !sameMac(given, mac(key, kind, json))) {
      rejected.push(line);
      continue;
    }
    try {
      const value: unknown = JSON.parse(json);
      if (valid(value)) records.push(value);
      else rejected.push(line);
    } catch {
      rejected.push(line);
    }
  }
  return { records, rejected };
}

function sameMac(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
