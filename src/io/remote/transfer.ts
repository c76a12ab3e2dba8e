/**
 * Moving objects between the local store and a remote: only what the other side lacks, `jobs`
 * transfers at a time, each whole object retried with backoff (see retry.ts), progress in bytes.
 * On the first failure that retrying cannot fix, nothing new is started, transfers in flight
 * finish, every queued task settles (it returns at once), and the error is raised naming the
 * object and the cause; a re-run moves only what is still missing. (Clearing p-limit's queue
 * instead would leave the queued promises pending forever: Node then exits 13 without a word.)
 */
import pLimit from "p-limit";
import { TrainyardError, toError } from "../../core/errors.js";
import type { Oid } from "../../core/oid.js";
import { silentProgress, type Progress } from "../progress.js";
import type { LocalStore } from "../store/index.js";
import type { RemoteObject, RemoteStore } from "./remote.js";
import { type RetryOptions, withRetry } from "./retry.js";

/** Small objects are latency-bound: many in flight hide the round trips (measured on moto: 16 ≈ 1.7× 8). */
export const DEFAULT_JOBS = 16;
/**
 * Large objects already move several parts at once (and buffer them), so only a couple run side by
 * side whatever `jobs` says: this bounds memory to about 2 × parts in flight × part size.
 */
export const LARGE_OBJECT_BYTES = 16 * 1024 * 1024;
const LARGE_AT_ONCE = 2;
/** Objects up to this size are downloaded into memory rather than streamed to a temp file. */
const IN_MEMORY_BYTES = 1024 * 1024;

export interface TransferOptions {
  jobs?: number;
  progress?: Progress;
  retry?: RetryOptions;
}

export interface TransferSummary {
  /** Objects considered (after de-duplication). */
  objects: number;
  /** Objects moved and their bytes. */
  transferred: number;
  bytes: number;
  /** Objects already present on the receiving side. */
  present: number;
}

export interface WantedObject {
  oid: Oid;
  /** Known size, used for progress and to spot a truncated remote copy. */
  size?: number;
}

function dedupe<T extends { oid: Oid }>(objects: readonly T[]): T[] {
  const seen = new Map<Oid, T>();
  for (const o of objects) if (!seen.has(o.oid)) seen.set(o.oid, o);
  return [...seen.values()];
}

/** The failure of one object's transfer, naming the object (the cause keeps its own wording). */
function objectFailure(error: unknown, verb: string, oid: Oid): TrainyardError {
  const cause = toError(error);
  if (cause instanceof TrainyardError && cause.message.includes(oid.slice(7, 19))) return cause;
  return new TrainyardError(
    cause instanceof TrainyardError ? cause.code : "remote",
    `cannot ${verb} object ${oid}: ${cause.message}`,
    undefined,
    { cause },
  );
}

/** Run `task` on every item, `jobs` at a time; stop starting new ones after the first failure. */
async function runAll<T extends { oid: Oid; size?: number }>(
  verb: string,
  items: readonly T[],
  jobs: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const limit = pLimit(Math.max(1, jobs));
  const large = pLimit(LARGE_AT_ONCE);
  let firstError: unknown;
  let failures = 0;
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        if (firstError !== undefined) return;
        try {
          if ((item.size ?? 0) > LARGE_OBJECT_BYTES) await large(() => task(item));
          else await task(item);
        } catch (error) {
          failures++;
          firstError ??= objectFailure(error, verb, item.oid);
        }
      }),
    ),
  );
  if (firstError !== undefined) {
    if (failures > 1 && firstError instanceof TrainyardError) {
      throw new TrainyardError(
        firstError.code,
        `${firstError.message} (and ${failures - 1} more failed transfer(s))`,
        undefined,
        {
          cause: firstError,
        },
      );
    }
    throw firstError;
  }
}

/** Reports bytes once per object even when an attempt is retried from the start. */
function objectProgress(progress: Progress): { attempt(): (n: number) => void } {
  let reported = 0;
  return {
    attempt() {
      let current = 0;
      return (n: number) => {
        current += n;
        if (current > reported) {
          progress.advance(current - reported);
          reported = current;
        }
      };
    },
  };
}

export async function pushObjects(
  remote: RemoteStore,
  store: LocalStore,
  objects: readonly RemoteObject[],
  options: TransferOptions = {},
): Promise<TransferSummary> {
  const progress = options.progress ?? silentProgress;
  const unique = dedupe(objects);
  const absent = unique.filter((o) => !store.has(o.oid));
  if (absent.length > 0) {
    throw new TrainyardError(
      "missing",
      `${absent.length} object(s) to push are not in the local store, e.g. ${absent[0]?.oid}; run "trainyard fetch" from the remote that has them, or re-add the data`,
    );
  }
  await remote.checkAccess();
  const missing = await remote.findMissing(unique);
  const bytes = missing.reduce((sum, o) => sum + o.size, 0);
  progress.start(bytes, `push ${missing.length} objects to ${remote.name}`);
  try {
    await runAll("push", missing, options.jobs ?? DEFAULT_JOBS, async (object) => {
      const counter = objectProgress(progress);
      await withRetry(
        () => remote.upload(object, store.objectPath(object.oid), counter.attempt()),
        options.retry,
      );
    });
  } finally {
    progress.stop();
  }
  return {
    objects: unique.length,
    transferred: missing.length,
    bytes,
    present: unique.length - missing.length,
  };
}

export async function fetchObjects(
  remote: RemoteStore,
  store: LocalStore,
  objects: readonly WantedObject[],
  options: TransferOptions = {},
): Promise<TransferSummary> {
  const progress = options.progress ?? silentProgress;
  const unique = dedupe(objects);
  const missing = unique.filter((o) => !store.has(o.oid));
  if (missing.length === 0)
    return { objects: unique.length, transferred: 0, bytes: 0, present: unique.length };
  await remote.checkAccess();
  progress.start(
    missing.reduce((sum, o) => sum + (o.size ?? 0), 0),
    `fetch ${missing.length} objects from ${remote.name}`,
  );
  let bytes = 0;
  try {
    await runAll("fetch", missing, options.jobs ?? DEFAULT_JOBS, async (object) => {
      const counter = objectProgress(progress);
      const size = await withRetry(async () => {
        if (object.size !== undefined && object.size <= IN_MEMORY_BYTES) {
          // Small: verify in memory and hand the bytes to the store (no stream machinery per object).
          const bytes = await remote.downloadBytes(object.oid, counter.attempt());
          await store.putBytes(bytes);
          return bytes.length;
        }
        const temp = await store.newTempPath();
        const got = await remote.download(object.oid, temp, counter.attempt(), object.size);
        await store.commitTemp(temp, object.oid);
        return got;
      }, options.retry);
      bytes += size;
    });
  } finally {
    progress.stop();
  }
  return {
    objects: unique.length,
    transferred: missing.length,
    bytes,
    present: unique.length - missing.length,
  };
}
