/**
 * The stage outcomes record: what the run that produced a lock did per stage (ran, restored from
 * the run cache and from where, up to date), with the time each took and the time the run cache
 * saved. The run action commits it next to the lock; the PR report shows it.
 *
 * Trust: the record is a file in the pull request, so whoever can push to the branch can write
 * it. It is therefore information, never a verdict: it does not touch the gates or the check, it
 * is shown only when it names the exact lock at the head commit (its sha256), so a record left
 * from an earlier run is not passed off as this lock's, and every value in it is escaped where it
 * is shown (see stages-section.ts). Pure.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { LOCK_FILE, STAGE_OUTCOMES_FILE } from "../file-names.js";
import type { StageLine } from "./stages-section.js";

export const STAGE_OUTCOMES_SCHEMA_VERSION = 1;

const text = z.string().max(2000);
const duration = z.number().finite().nonnegative();

const stageLineSchema = z.strictObject({
  stage: text,
  action: z.enum(["up-to-date", "ran", "restored", "failed", "not-started"]),
  durationMs: duration,
  restored: z.strictObject({ source: text, origin: text, savedMs: duration.optional() }).optional(),
});

export const stageOutcomesSchema = z.strictObject({
  schema: z.literal(STAGE_OUTCOMES_SCHEMA_VERSION),
  /** `sha256:<hex>` of the trainyard.lock bytes this run wrote. */
  lock: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  stages: z.array(stageLineSchema).max(1000),
});

export type StageOutcomes = z.output<typeof stageOutcomesSchema>;

/** The record for a run: only the fields the report shows, whatever else the results carry. */
export function stageOutcomes(lockHash: string, stages: readonly StageLine[]): StageOutcomes {
  return {
    schema: STAGE_OUTCOMES_SCHEMA_VERSION,
    lock: lockHash,
    stages: stages.map((s) => ({
      stage: s.stage,
      action: s.action,
      durationMs: Math.max(0, Math.round(s.durationMs)),
      ...(s.restored
        ? {
            restored: {
              source: s.restored.source,
              origin: s.restored.origin,
              ...(s.restored.savedMs !== undefined
                ? { savedMs: Math.max(0, Math.round(s.restored.savedMs)) }
                : {}),
            },
          }
        : {}),
    })),
  };
}

export function serializeStageOutcomes(record: StageOutcomes): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

export type OutcomesAtHead =
  | { kind: "shown"; stages: readonly StageLine[] }
  | { kind: "absent" }
  | { kind: "stale" }
  | { kind: "invalid"; reason: string };

/**
 * The record at head, if it describes head's lock (`lockHash`: sha256 of the lock's bytes there).
 * Unreadable or mismatched records are not shown; the caller may say why.
 */
export function outcomesForLock(text: string | undefined, lockHash: string | undefined): OutcomesAtHead {
  if (text === undefined) return { kind: "absent" };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: "invalid", reason: "not JSON" };
  }
  const parsed = stageOutcomesSchema.safeParse(raw);
  if (!parsed.success) return { kind: "invalid", reason: parsed.error.issues[0]?.message ?? "invalid" };
  if (!lockHash || parsed.data.lock !== lockHash) return { kind: "stale" };
  return { kind: "shown", stages: parsed.data.stages };
}

/** The sha256 id of a lock's text, as the run action records it. */
export function lockTextHash(text: string): string {
  return `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
}

/** The outcomes to show for a revision's files (the lock and the record read at the same commit). */
export function outcomesAt(files: Readonly<Record<string, string | undefined>>): OutcomesAtHead {
  const lock = files[LOCK_FILE];
  return outcomesForLock(files[STAGE_OUTCOMES_FILE], lock === undefined ? undefined : lockTextHash(lock));
}
