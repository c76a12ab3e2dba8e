/**
 * The run cache: fingerprint → the outs that fingerprint produced, kept in the store beside the
 * objects (`<store>/runs/ab/cdef….json`). A fingerprint seen before restores its outs instead of
 * running the command — that is what makes a revert, or a re-run on CI, cost seconds.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { errnoCode } from "../../core/errors.js";
import { lockEntrySchema, type LockEntry } from "../../core/lock.js";
import { isOid, oidHex, type Oid } from "../../core/oid.js";
import { toIoError, writeFileAtomic } from "../fs/index.js";
import type { LocalStore } from "../store/index.js";
import { mkdir } from "node:fs/promises";

const runRecordSchema = z.strictObject({
  fingerprint: z.string(),
  stage: z.string(),
  outs: z.array(lockEntrySchema),
  metrics: z.array(lockEntrySchema),
  plots: z.array(lockEntrySchema),
});

export type RunRecord = z.output<typeof runRecordSchema>;

export function runRecordPath(storeRoot: string, fingerprint: Oid): string {
  const hex = oidHex(fingerprint);
  return join(storeRoot, "runs", hex.slice(0, 2), `${hex.slice(2)}.json`);
}

/**
 * The record for `fingerprint`, only when every object it names is in the store (a record whose
 * objects were garbage-collected is as good as none). A damaged record is ignored, not trusted.
 */
export async function findRun(store: LocalStore, fingerprint: string): Promise<RunRecord | undefined> {
  if (!isOid(fingerprint)) return undefined;
  let text: string;
  try {
    text = await readFile(runRecordPath(store.root, fingerprint), "utf8");
  } catch (thrown) {
    if (errnoCode(thrown) === "ENOENT") return undefined;
    throw toIoError(thrown, "read", runRecordPath(store.root, fingerprint));
  }
  let parsed: ReturnType<typeof runRecordSchema.safeParse>;
  try {
    parsed = runRecordSchema.safeParse(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!parsed.success || parsed.data.fingerprint !== fingerprint) return undefined;
  const all: LockEntry[] = [...parsed.data.outs, ...parsed.data.metrics, ...parsed.data.plots];
  return all.every((e) => isOid(e.hash) && store.has(e.hash)) ? parsed.data : undefined;
}

export async function recordRun(store: LocalStore, record: RunRecord): Promise<void> {
  if (!isOid(record.fingerprint)) return;
  const path = runRecordPath(store.root, record.fingerprint);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
}
