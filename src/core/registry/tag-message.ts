/**
 * The annotated tag message: a readable first line for `git tag -n` and GitHub, then git-trailer
 * style fields a program parses back (who, why, metrics, card hash). GTO shows the message as-is.
 *
 *   Register iris v1.3.0
 *
 *   Trainyard-Actor: alice
 *   Trainyard-Reason: merged PR #12
 *   Trainyard-Type: model
 *   Trainyard-Metrics: {"accuracy":0.95}
 *   Trainyard-Card: sha256:…
 *   Trainyard-Lock: sha256:…
 *
 * Pure; `parseTagMessage(formatTagMessage(m))` returns `m`.
 */
import type { FlatRecord, FlatValue } from "../metrics/flatten.js";

export type ArtifactType = "model" | "dataset";

export interface TagMessage {
  /** First line; generated from the action when omitted. */
  summary: string;
  actor?: string;
  reason?: string;
  type?: ArtifactType;
  metrics?: FlatRecord;
  cardHash?: string;
  lockHash?: string;
  /** Set when a rule was overridden with --force, so the history shows it. */
  forced?: boolean;
  /**
   * For tags without a `#N` counter (register, deregister, deprecate): the artifact's highest
   * counter when the tag was made. Tag dates have one-second resolution; this orders such a tag
   * after the counted events it followed within the same second.
   */
  after?: number;
  /**
   * A registration made while the artifact was deprecated. Within one second, with the same
   * `after`, it must sort after the deprecation it revives (the two carry no counter to compare).
   */
  revives?: boolean;
}

const FIELDS = {
  actor: "Trainyard-Actor",
  reason: "Trainyard-Reason",
  type: "Trainyard-Type",
  metrics: "Trainyard-Metrics",
  cardHash: "Trainyard-Card",
  lockHash: "Trainyard-Lock",
  forced: "Trainyard-Forced",
  after: "Trainyard-After",
  revives: "Trainyard-Revives",
} as const;

/** Trailer values are one line each: newlines in free text become spaces. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

export function formatTagMessage(m: TagMessage): string {
  const lines = [oneLine(m.summary) || "Trainyard registry event", ""];
  if (m.actor) lines.push(`${FIELDS.actor}: ${oneLine(m.actor)}`);
  if (m.reason) lines.push(`${FIELDS.reason}: ${oneLine(m.reason)}`);
  if (m.type) lines.push(`${FIELDS.type}: ${m.type}`);
  if (m.metrics) lines.push(`${FIELDS.metrics}: ${stringifyMetrics(m.metrics)}`);
  if (m.cardHash) lines.push(`${FIELDS.cardHash}: ${oneLine(m.cardHash)}`);
  if (m.lockHash) lines.push(`${FIELDS.lockHash}: ${oneLine(m.lockHash)}`);
  if (m.forced) lines.push(`${FIELDS.forced}: true`);
  if (m.after !== undefined) lines.push(`${FIELDS.after}: ${m.after}`);
  if (m.revives) lines.push(`${FIELDS.revives}: true`);
  return `${lines.join("\n")}\n`;
}

/** Parse any tag message; unknown lines are ignored, so messages written by GTO or by hand still parse. */
export function parseTagMessage(text: string): TagMessage {
  // Runs once per tag on every registry read: walk the lines in place rather than copying the
  // text to normalise line ends and splitting it into an array (a CR before LF goes with trim).
  let end = lineEnd(text, 0);
  const out: TagMessage = { summary: text.slice(0, end).trim() };
  for (let start = end + 1; start < text.length; start = end + 1) {
    end = lineEnd(text, start);
    const line = text.slice(start, end);
    const colon = line.indexOf(": ");
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 2).trim();
    if (key === FIELDS.actor) out.actor = value;
    else if (key === FIELDS.reason) out.reason = value;
    else if (key === FIELDS.type && (value === "model" || value === "dataset")) out.type = value;
    else if (key === FIELDS.metrics) {
      const metrics = parseMetrics(value);
      if (metrics) out.metrics = metrics;
    } else if (key === FIELDS.cardHash) out.cardHash = value;
    else if (key === FIELDS.lockHash) out.lockHash = value;
    else if (key === FIELDS.forced) out.forced = value === "true";
    else if (key === FIELDS.after && /^\d+$/.test(value)) out.after = Number(value);
    else if (key === FIELDS.revives) out.revives = value === "true";
  }
  return out;
}

/** Where the line starting at `start` ends: at the next `\n`, or at the end of the text. */
function lineEnd(text: string, start: number): number {
  const at = text.indexOf("\n", start);
  return at < 0 ? text.length : at;
}

/** JSON has no NaN or Infinity; encode them as strings so the values survive the round trip. */
function stringifyMetrics(metrics: FlatRecord): string {
  return JSON.stringify(metrics, (_k, v: unknown) =>
    typeof v === "number" && !Number.isFinite(v) ? `__${String(v)}__` : v,
  );
}

const SPECIAL: Record<string, number> = {
  __NaN__: Number.NaN,
  __Infinity__: Infinity,
  "__-Infinity__": -Infinity,
};

function parseMetrics(value: string): FlatRecord | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    const entries: [string, FlatValue][] = [];
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === "string" && Object.hasOwn(SPECIAL, v)) entries.push([k, SPECIAL[v] as number]);
      else if (v === null || ["number", "string", "boolean"].includes(typeof v))
        entries.push([k, v as FlatValue]);
    }
    // fromEntries defines own properties, so a key named "__proto__" stays a plain key.
    return Object.fromEntries(entries);
  } catch {
    return undefined; // a hand-edited message with broken JSON simply has no metrics
  }
}
