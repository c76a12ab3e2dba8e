/**
 * The key that authenticates the bot's hidden markers. Derived with HKDF-SHA256 from the app's
 * webhook secret — a secret only GitHub and the bot hold — under its own label, so the marker key
 * is never the webhook key itself and knowing one MAC reveals nothing about the other use.
 * Rotating the webhook secret voids every existing marker: approvals must be given again (the
 * safe direction). Pure (computation only).
 */
import { hkdfSync } from "node:crypto";

export type MarkerKey = Buffer;

const SALT = "trainyard";
const INFO = "trainyard/bot-markers/hmac-sha256/v1";

export function deriveMarkerKey(webhookSecret: string): MarkerKey {
  if (webhookSecret.length === 0) throw new Error("a marker key needs a non-empty webhook secret");
  return Buffer.from(hkdfSync("sha256", webhookSecret, SALT, INFO, 32));
}
