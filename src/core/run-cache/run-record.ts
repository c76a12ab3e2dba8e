/**
 * A run record: what one fingerprint produced (its outs, metrics and plots, each an object in the
 * store) and how it was produced (when, how long, where, by which commit and workflow run). The
 * fingerprint is the hash of everything the stage read, so a record is addressed by its inputs and
 * never changes once written; the local store and every remote keep it under that fingerprint.
 */
import { z } from "zod";
import { type LockEntry, lockEntrySchema } from "../lock.js";
import { isOid, type Oid } from "../oid.js";

const runMetadataSchema = z.strictObject({
  startedAt: z.string(),
  endedAt: z.string(),
  durationMs: z.number().nonnegative(),
  exitCode: z.number().int(),
  host: z.string(),
  /** The Actions runner's name (RUNNER_NAME), when on Actions. */
  runner: z.string().optional(),
  trainyardVersion: z.string(),
  nodeVersion: z.string(),
  /** HEAD when the stage ran (the working tree may have differed: the fingerprint says what it read). */
  commit: z.string().optional(),
  workflowRunUrl: z.string().optional(),
  workflowRunNumber: z.number().int().positive().optional(),
});

export const runRecordSchema = z.strictObject({
  fingerprint: z.string(),
  stage: z.string(),
  outs: z.array(lockEntrySchema),
  metrics: z.array(lockEntrySchema),
  plots: z.array(lockEntrySchema),
  /** Absent in records written before runs carried metadata; such records still restore. */
  run: runMetadataSchema.optional(),
});

export type RunRecord = z.output<typeof runRecordSchema>;
export type RunMetadata = z.output<typeof runMetadataSchema>;

/** Stable bytes for a record (the form written locally and uploaded). */
export function serializeRunRecord(record: RunRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * Parse stored record text for `fingerprint`: a record that does not parse, or that names another
 * fingerprint (a renamed or forged file), is a problem string, never a record to trust.
 */
export function parseRunRecord(text: string, fingerprint: Oid): RunRecord | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "it is not valid JSON";
  }
  const parsed = runRecordSchema.safeParse(json);
  if (!parsed.success)
    return `it does not have the shape of a run record (${parsed.error.issues[0]?.message})`;
  if (parsed.data.fingerprint !== fingerprint)
    return `it names fingerprint ${parsed.data.fingerprint}, not ${fingerprint}`;
  const bad = recordEntries(parsed.data).find((e) => !isOid(e.hash));
  if (bad) return `its entry ${bad.path} has no valid hash`;
  return parsed.data;
}

/** Every store entry a record names (outs, metrics, plots). */
export function recordEntries(record: RunRecord): LockEntry[] {
  return [...record.outs, ...record.metrics, ...record.plots];
}

/** `4 m 12 s`, `1 h 3 m`, `850 ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} m ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} m`;
}

/**
 * Where a restored result first came from, e.g. `first computed at a1b2c3d on 2026-11-20 by
 * workflow run #412, saved 4 m 12 s`. Empty for a record without metadata.
 */
export function describeOrigin(record: RunRecord): string {
  const run = record.run;
  if (!run) return "";
  const at = run.commit ? ` at ${run.commit.slice(0, 7)}` : "";
  const on = /^\d{4}-\d{2}-\d{2}/.exec(run.startedAt)?.[0];
  const by =
    run.workflowRunNumber !== undefined
      ? `workflow run #${run.workflowRunNumber}`
      : run.runner
        ? `runner ${run.runner}`
        : run.host;
  return `first computed${at}${on ? ` on ${on}` : ""} by ${by}, saved ${formatDuration(run.durationMs)}`;
}

/**
 * Why a record cannot stand for a stage's result, or undefined when it can: it must name exactly
 * the paths the stage declares, kind by kind. A record comes from a store anyone with write access
 * to the remote can fill, so its paths are never trusted to say where to write.
 */
export function recordMismatch(
  record: RunRecord,
  declared: Readonly<Record<"outs" | "metrics" | "plots", readonly string[]>>,
): string | undefined {
  for (const kind of ["outs", "metrics", "plots"] as const) {
    const named = record[kind].map((e) => e.path).sort();
    const wanted = [...declared[kind]].sort();
    if (named.length !== wanted.length || named.some((path, i) => path !== wanted[i]))
      return `it names ${kind} [${named.join(", ")}], the stage declares [${wanted.join(", ")}]`;
  }
  return undefined;
}
