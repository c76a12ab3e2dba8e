/**
 * Which run records on a remote `gc --remote` keeps: every record a reachable trainyard.lock names
 * (the working tree's, and those of the commits gc was told to keep), and any other record younger
 * than the age limit; older ones are dropped. The kept records' objects are then gc roots too, so
 * a record that survives gc can still be restored.
 */
import type { Oid } from "../../core/oid.js";
import { parseRunRecord, type RunRecord } from "../../core/run-cache/run-record.js";
import type { RemoteStore } from "./remote.js";

export const DEFAULT_RUN_RECORD_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

export interface RunRecordChoice {
  /** Records kept, read and parsed (a kept record that no longer parses keeps nothing alive). */
  kept: RunRecord[];
  /** Fingerprints of records to delete. */
  expired: Oid[];
}

export async function chooseRunRecords(
  remote: RemoteStore,
  namedByLocks: ReadonlySet<string>,
  cutoff: Date,
): Promise<RunRecordChoice> {
  const kept: RunRecord[] = [];
  const expired: Oid[] = [];
  for await (const listing of remote.listRunRecords()) {
    // A record without a date counts as new: gc never drops what it cannot date.
    const young = (listing.lastModified?.getTime() ?? Number.POSITIVE_INFINITY) > cutoff.getTime();
    if (!namedByLocks.has(listing.fingerprint) && !young) {
      expired.push(listing.fingerprint);
      continue;
    }
    const bytes = await remote.getRunRecord(listing.fingerprint);
    const record =
      bytes === undefined ? undefined : parseRunRecord(bytes.toString("utf8"), listing.fingerprint);
    if (record !== undefined && typeof record !== "string") kept.push(record);
  }
  return { kept, expired };
}
