/**
 * `trainyard.lock`: what each stage last ran with and produced. Serialised with a fixed key
 * order (stages and paths sorted, fields in one order) so diffs stay small and reviewable.
 */
import { stringify } from "yaml";
import { z } from "zod";
import { checkWithSchema, toErrors } from "./config/validate.js";
import { TrainyardErrors } from "./errors.js";
import { LOCK_FILE } from "./file-names.js";
import { parseYamlWithPositions } from "./yaml-document.js";

export { LOCK_FILE };
export const LOCK_SCHEMA_VERSION = 1;

const hash = z.string().regex(/^sha256:[0-9a-f]{64}$/, "a hash of the form sha256:<64 hex digits>");

export const lockEntrySchema = z.strictObject({
  path: z.string().min(1),
  hash,
  size: z.number().int().nonnegative(),
  files: z.number().int().nonnegative().optional(),
  // An external dep's upstream version (s3:// or https://); `hash` is then the digest of these.
  etag: z.string().optional(),
  version_id: z.string().optional(),
  last_modified: z.string().optional(),
  /** Only on an out declared `cache: false`: committed to git, never in the store. */
  cache: z.literal(false).optional(),
});

export const lockStageSchema = z.strictObject({
  cmd: z.string(),
  fingerprint: hash,
  deps: z.array(lockEntrySchema).default([]),
  params: z.record(z.string(), z.unknown()).default({}),
  outs: z.array(lockEntrySchema).default([]),
  metrics: z.array(lockEntrySchema).default([]),
  plots: z.array(lockEntrySchema).default([]),
});

export const lockSchema = z.strictObject({
  schema: z.literal(LOCK_SCHEMA_VERSION),
  stages: z.record(z.string(), lockStageSchema).default({}),
});

export type LockEntry = z.output<typeof lockEntrySchema>;
export type LockStage = z.output<typeof lockStageSchema>;
export type Lock = z.output<typeof lockSchema>;

export const emptyLock = (): Lock => ({ schema: LOCK_SCHEMA_VERSION, stages: {} });

/** Parse lock text; every problem is reported with file:line:column and key. */
export function parseLock(text: string, file = LOCK_FILE): Lock {
  const doc = parseYamlWithPositions(text, file, "pipeline");
  if (doc.value === null || doc.value === undefined) return emptyLock();
  const { value, problems } = checkWithSchema(lockSchema, doc.value);
  if (value) return value;
  throw new TrainyardErrors("pipeline", toErrors(doc, problems, "pipeline"));
}

const byPath = (a: LockEntry, b: LockEntry) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function entry(e: LockEntry): LockEntry {
  return {
    path: e.path,
    hash: e.hash,
    size: e.size,
    ...(e.files !== undefined ? { files: e.files } : {}),
    ...(e.etag !== undefined ? { etag: e.etag } : {}),
    ...(e.version_id !== undefined ? { version_id: e.version_id } : {}),
    ...(e.last_modified !== undefined ? { last_modified: e.last_modified } : {}),
    ...(e.cache === false ? { cache: false as const } : {}),
  };
}

/** A stage's outs whose objects are in the store (every out but the `cache: false` ones, kept in git). */
export function storedOuts(stage: Pick<LockStage, "outs">): LockEntry[] {
  return stage.outs.filter((out) => out.cache !== false);
}

/** Deep copy with object keys sorted, so param values serialise the same however they were read. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function normalizeLockStage(s: LockStage): LockStage {
  return {
    cmd: s.cmd,
    fingerprint: s.fingerprint,
    deps: [...s.deps].sort(byPath).map(entry),
    params: sortKeys(s.params) as Record<string, unknown>,
    outs: [...s.outs].sort(byPath).map(entry),
    metrics: [...s.metrics].sort(byPath).map(entry),
    plots: [...s.plots].sort(byPath).map(entry),
  };
}

export function serializeLock(lock: Lock): string {
  const stages: Record<string, unknown> = {};
  for (const name of Object.keys(lock.stages).sort()) {
    const s = normalizeLockStage(lock.stages[name]!);
    // Empty lists are left out so a stage without plots does not add noise to every diff.
    stages[name] = Object.fromEntries(
      Object.entries(s).filter(([, v]) => !(Array.isArray(v) && v.length === 0) && !isEmptyObject(v)),
    );
  }
  const header = "# Written by `trainyard run`. Commit it; do not edit by hand.\n";
  return (
    header +
    stringify({ schema: LOCK_SCHEMA_VERSION, stages }, { lineWidth: 0, aliasDuplicateObjects: false })
  );
}

function isEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** A new lock with `stage` set to `entry` (or removed when entry is undefined). */
export function withLockStage(lock: Lock, stage: string, value: LockStage | undefined): Lock {
  const stages = { ...lock.stages };
  if (value === undefined) delete stages[stage];
  else stages[stage] = value;
  return { schema: lock.schema, stages };
}
