/**
 * Run records in a remote: looked up one fingerprint at a time before a stage runs, pushed with the
 * objects they name, fetched in bulk by `fetch --run-cache`. A record is used only when every
 * object it names came down and matched its sha256; otherwise it is ignored (and the caller says
 * why), and nothing in the working copy has been touched.
 */
import { TrainyardError } from "../../core/errors.js";
import { LOCK_FILE } from "../../core/lock.js";
import type { Oid } from "../../core/oid.js";
import {
  parseRunRecord,
  type RunRecord,
  recordEntries,
  serializeRunRecord,
} from "../../core/run-cache/run-record.js";
import { LocalStore } from "../store/index.js";
import {
  listRunFingerprints,
  readLockFile,
  readRunRecord,
  recordRun,
  type RemoteRunCache,
  type RemoteRunLookup,
} from "../pipeline/index.js";
import type { Repo } from "../git/index.js";
import { type DataRoot, expandRoots } from "../store/index.js";
import { openRemote, readStoreConfig } from "./open-remote.js";
import type { RemoteStore } from "./remote.js";
import { fetchRoots, pushRoots } from "./sync-data.js";
import type { TransferOptions } from "./transfer.js";

export function recordRoots(record: RunRecord): DataRoot[] {
  return recordEntries(record).map((e) => ({
    oid: e.hash as Oid,
    size: e.size,
    directory: e.files !== undefined,
    source: `run record ${record.fingerprint.slice(7, 19)} (${record.stage})`,
    path: e.path,
  }));
}

async function readRemoteRecord(
  remote: RemoteStore,
  fingerprint: Oid,
): Promise<RunRecord | string | undefined> {
  const bytes = await remote.getRunRecord(fingerprint);
  return bytes === undefined ? undefined : parseRunRecord(bytes.toString("utf8"), fingerprint);
}

/**
 * Bring the objects of a record into the local store (verified). A record naming objects the
 * remote lacks gives the reason it is ignored; other failures (network, access) are thrown.
 */
async function fetchRecordObjects(
  repo: Repo,
  remote: RemoteStore,
  record: RunRecord,
  options: TransferOptions,
): Promise<string | undefined> {
  try {
    await fetchRoots(repo, remote, recordRoots(record), options);
    return undefined;
  } catch (thrown) {
    if (thrown instanceof TrainyardError && (thrown.code === "missing" || thrown.code === "corrupt"))
      return `its objects are not all on the remote (${thrown.message})`;
    throw thrown;
  }
}

export function openRemoteRunCache(repo: Repo, remote: RemoteStore): RemoteRunCache {
  return {
    name: remote.name,
    async lookup(fingerprint: Oid): Promise<RemoteRunLookup> {
      const record = await readRemoteRecord(remote, fingerprint);
      if (record === undefined) return { found: false };
      if (typeof record === "string")
        return { found: false, ignored: `the remote's record is damaged: ${record}` };
      // Few attempts: this is on the critical path of a stale stage, which can always run instead.
      const problem = await fetchRecordObjects(repo, remote, record, { retry: { attempts: 2 } });
      if (problem) return { found: false, ignored: `the remote's record was ignored: ${problem}` };
      await recordRun(new LocalStore(repo.storeDir), record);
      return { found: true, record };
    },
    // The caller opened the remote and closes it.
    close: () => {},
  };
}

export interface RunRecordPushSummary {
  pushed: number;
  alreadyThere: number;
  /** Records not pushed, each with the reason (e.g. objects missing from the local store). */
  skipped: string[];
}

/** True when the remote's record for `fingerprint` parses and every object it names is on the remote. */
async function remoteRecordComplete(
  remote: RemoteStore,
  store: LocalStore,
  fingerprint: Oid,
): Promise<boolean> {
  const record = await readRemoteRecord(remote, fingerprint);
  if (record === undefined || typeof record === "string") return false;
  try {
    const objects = await expandRoots(recordRoots(record), (oid) =>
      store.has(oid) ? store.readVerified(oid) : remote.downloadBytes(oid),
    );
    return (await remote.findMissing(objects)).length === 0;
  } catch (thrown) {
    if (thrown instanceof TrainyardError && (thrown.code === "missing" || thrown.code === "corrupt"))
      return false;
    throw thrown;
  }
}

/**
 * Push the local records of `fingerprints` and every object they name. Objects go first, the record
 * last, so a record on the remote never names an object that is not there yet. A record already on
 * the remote stays unless it is incomplete (its objects were lost), in which case ours replaces it.
 */
export async function pushRunRecords(
  repo: Repo,
  remote: RemoteStore,
  fingerprints: readonly Oid[],
  options: TransferOptions = {},
): Promise<RunRecordPushSummary> {
  const store = new LocalStore(repo.storeDir);
  const records: RunRecord[] = [];
  const skipped: string[] = [];
  for (const fingerprint of new Set(fingerprints)) {
    const record = await readRunRecord(store.root, fingerprint);
    if (!record) continue;
    const absent = recordEntries(record).filter((e) => !store.has(e.hash as Oid));
    if (absent.length > 0) {
      skipped.push(
        `${record.stage} (${fingerprint.slice(7, 19)}): ${absent.map((e) => e.path).join(", ")} not in the local store`,
      );
      continue;
    }
    records.push(record);
  }
  if (records.length === 0) return { pushed: 0, alreadyThere: 0, skipped };
  await pushRoots(repo, remote, records.flatMap(recordRoots), options);
  let pushed = 0;
  let alreadyThere = 0;
  for (const record of records) {
    const fingerprint = record.fingerprint as Oid;
    const bytes = Buffer.from(serializeRunRecord(record));
    if (await remote.putRunRecord(fingerprint, bytes)) pushed++;
    else if (await remoteRecordComplete(remote, store, fingerprint)) alreadyThere++;
    else {
      await remote.putRunRecord(fingerprint, bytes, { replace: true });
      pushed++;
    }
  }
  return { pushed, alreadyThere, skipped };
}

export interface RunRecordFetchSummary {
  records: number;
  fetched: number;
  ignored: string[];
}

/** `fetch --run-cache`: every run record on the remote, with its objects, into the local store. */
export async function fetchRunRecords(
  repo: Repo,
  remote: RemoteStore,
  options: TransferOptions = {},
): Promise<RunRecordFetchSummary> {
  const store = new LocalStore(repo.storeDir);
  let records = 0;
  let fetched = 0;
  const ignored: string[] = [];
  for await (const listing of remote.listRunRecords()) {
    records++;
    const local = await readRunRecord(store.root, listing.fingerprint);
    const record = await readRemoteRecord(remote, listing.fingerprint);
    if (record === undefined) continue; // removed since the listing
    if (typeof record === "string") {
      ignored.push(`${listing.key}: ${record}`);
      continue;
    }
    const problem = await fetchRecordObjects(repo, remote, record, { ...options, progress: undefined });
    if (problem) {
      ignored.push(`${listing.key} (${record.stage}): ${problem}`);
      continue;
    }
    if (!local) await recordRun(store, record);
    fetched++;
  }
  return { records, fetched, ignored };
}

/**
 * The remote run cache `run` asks: the remote named, else the default one; none (and no warning)
 * when trainyard.yaml names no s3:// remote at all, since then there is nothing shared to ask.
 */
export async function openConfiguredRunCache(repo: Repo, name?: string): Promise<RemoteRunCache | undefined> {
  const store = await readStoreConfig(repo);
  const hasS3 = Object.values(store?.remotes ?? {}).some((r) => r.url.startsWith("s3://"));
  if (name === undefined && !hasS3) return undefined;
  // Lookups are on the critical path of every stale stage: fail fast rather than retry for long.
  const { remote } = await openRemote(repo, name, { maxAttempts: 2 });
  return { ...openRemoteRunCache(repo, remote), close: () => remote.close() };
}

/**
 * The fingerprints whose records `push` sends: every stage of trainyard.lock when pushing
 * everything, else the stages whose outs are among the pushed roots; with `everyRecord`, every
 * record in the local store (`push --run-cache`, e.g. results of commits never pushed).
 */
export async function fingerprintsToPush(
  repo: Repo,
  roots: readonly DataRoot[],
  selection: { everything: boolean; everyRecord: boolean },
): Promise<Oid[]> {
  if (selection.everyRecord) return listRunFingerprints(repo.storeDir);
  const lock = await readLockFile(repo.root);
  const stages = new Set(
    roots
      .filter((r) => r.source.startsWith(`${LOCK_FILE}:`))
      .map((r) => r.source.slice(LOCK_FILE.length + 1)),
  );
  return Object.entries(lock.stages)
    .filter(([stage]) => selection.everything || stages.has(stage))
    .map(([, entry]) => entry.fingerprint as Oid);
}
