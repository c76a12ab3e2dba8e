/**
 * The local run cache: fingerprint → the run record of what that fingerprint produced, kept in the
 * store beside the objects (`<store>/runs/ab/cdef….json`). A fingerprint seen before restores its
 * outs instead of running the command — that is what makes a revert, or a re-run on CI, cost
 * seconds. Remotes keep the same records (../remote/remote-run-cache.ts), so every runner and
 * teammate reuses what any of them computed.
 */
import { mkdir, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { errnoCode } from "../../core/errors.js";
import {
  parseRunRecord,
  type RunRecord,
  recordEntries,
  serializeRunRecord,
} from "../../core/run-cache/run-record.js";
import { isOid, oidFromHex, oidHex, type Oid } from "../../core/oid.js";
import { toIoError, writeFileAtomic } from "../fs/index.js";
import type { LocalStore } from "../store/index.js";

export type { RunRecord } from "../../core/run-cache/run-record.js";

export function runRecordPath(storeRoot: string, fingerprint: Oid): string {
  const hex = oidHex(fingerprint);
  return join(storeRoot, "runs", hex.slice(0, 2), `${hex.slice(2)}.json`);
}

/** The record stored for `fingerprint`, whether or not its objects are here; undefined when absent or damaged. */
export async function readRunRecord(storeRoot: string, fingerprint: string): Promise<RunRecord | undefined> {
  if (!isOid(fingerprint)) return undefined;
  const path = runRecordPath(storeRoot, fingerprint);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (thrown) {
    if (errnoCode(thrown) === "ENOENT") return undefined;
    throw toIoError(thrown, "read", path);
  }
  const parsed = parseRunRecord(text, fingerprint);
  return typeof parsed === "string" ? undefined : parsed;
}

/**
 * The record for `fingerprint`, only when every object it names is in the store (a record whose
 * objects were garbage-collected is as good as none). A damaged record is ignored, not trusted.
 */
export async function findRun(store: LocalStore, fingerprint: string): Promise<RunRecord | undefined> {
  const record = await readRunRecord(store.root, fingerprint);
  if (!record) return undefined;
  return recordEntries(record).every((e) => store.has(e.hash as Oid)) ? record : undefined;
}

export async function recordRun(store: LocalStore, record: RunRecord): Promise<void> {
  if (!isOid(record.fingerprint)) return;
  const path = runRecordPath(store.root, record.fingerprint);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, serializeRunRecord(record));
}

/** Fingerprints of every record in the local store (gc roots and `push --run-cache` start here). */
export async function listRunFingerprints(storeRoot: string): Promise<Oid[]> {
  const runs = join(storeRoot, "runs");
  const shards = await readdir(runs).catch((thrown: unknown) => {
    if (errnoCode(thrown) === "ENOENT") return [] as string[];
    throw toIoError(thrown, "read", runs);
  });
  const fingerprints: Oid[] = [];
  for (const shard of shards.filter((s) => /^[0-9a-f]{2}$/.test(s)).sort()) {
    for (const name of (await readdir(join(runs, shard))).sort()) {
      const hex = /^([0-9a-f]{62})\.json$/.exec(name)?.[1];
      if (hex) fingerprints.push(oidFromHex(`${shard}${hex}`));
    }
  }
  return fingerprints;
}
