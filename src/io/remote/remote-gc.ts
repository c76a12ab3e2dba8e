/**
 * `gc --remote`: delete remote objects that no pointer or lock out references in the chosen
 * commits (always the working tree and HEAD; all branch tips and/or all tags on request), and abort
 * multipart uploads that were left incomplete (a push that was killed) and are older than a grace
 * period, so an upload still running elsewhere is not cut off. Run records a reachable lock names,
 * or younger than an age limit, are kept with their objects; older ones are dropped.
 *
 * It fails closed: a pointer that does not parse, or a directory manifest that can be read neither
 * locally nor from the remote, stops gc before anything is deleted.
 */
import { readFile, rm } from "node:fs/promises";
import { TrainyardError, toError } from "../../core/errors.js";
import { parseManifest } from "../../core/manifest.js";
import type { Oid } from "../../core/oid.js";
import {
  chooseCommits,
  collectGcRoots,
  type DataRoot,
  type GcRootOptions,
  LocalStore,
  runRecordRoots,
} from "../store/index.js";
import { chooseRunRecords, DEFAULT_RUN_RECORD_MAX_AGE_MS } from "./expire-run-records.js";
import type { IncompleteUpload, RemoteStore } from "./remote.js";
import type { Repo } from "../git/index.js";

export const DEFAULT_UPLOAD_GRACE_MS = 60 * 60 * 1000;

export interface RemoteGcOptions extends GcRootOptions {
  dryRun?: boolean;
  /** Run records no reachable lock names are dropped once older than this (./expire-run-records.ts). */
  runRecordMaxAgeMs?: number;
  /** Incomplete multipart uploads started longer ago than this are aborted. */
  uploadGraceMs?: number;
  /** Unreferenced objects written less than this long ago are kept (default one hour), as locally. */
  graceMs?: number;
  now?: () => Date;
}

export interface RemoteGcResult {
  remote: string;
  url: string;
  dryRun: boolean;
  commits: number;
  referenced: number;
  removed: number;
  removedBytes: number;
  kept: number;
  keptBytes: number;
  abortedUploads: number;
  keptRunRecords: number;
  expiredRunRecords: number;
}

async function manifestBytes(
  store: LocalStore,
  remote: RemoteStore,
  root: DataRoot,
): Promise<Buffer | undefined> {
  if (store.has(root.oid)) return store.readVerified(root.oid);
  const temp = await store.newTempPath();
  try {
    await remote.download(root.oid, temp);
    return await readFile(temp);
  } catch (error) {
    if (root.optional) return undefined;
    throw new TrainyardError(
      "missing",
      `gc refused: the directory manifest ${root.oid} (${root.source}) is neither in the local store nor readable on remote "${remote.name}", so the objects it needs cannot be told apart: ${toError(error).message}`,
      undefined,
      { cause: error },
    );
  } finally {
    await rm(temp, { force: true });
  }
}

/** Uploads started at least `graceMs` before `now`; one without a start time counts as old. */
export function staleUploads(
  uploads: readonly IncompleteUpload[],
  now: Date,
  graceMs: number,
): IncompleteUpload[] {
  const cutoff = now.getTime() - graceMs;
  return uploads.filter((u) => (u.initiated?.getTime() ?? 0) <= cutoff);
}

export async function gcRemote(
  repo: Repo,
  remote: RemoteStore,
  options: RemoteGcOptions = {},
): Promise<RemoteGcResult> {
  const dryRun = options.dryRun ?? false;
  const store = new LocalStore(repo.storeDir);
  await remote.checkAccess();
  // The same roots as local gc: working tree, HEAD, registered versions, run records, opt-in history.
  const commits = await chooseCommits(repo, options);
  // The fingerprints every reachable lock names: their run records are kept whatever their age.
  const named = new Set<string>();
  const roots = await collectGcRoots(repo, { ...options, localRunRecords: false, lockFingerprints: named });
  const now = (options.now ?? (() => new Date()))();
  const records = await chooseRunRecords(
    remote,
    named,
    new Date(now.getTime() - (options.runRecordMaxAgeMs ?? DEFAULT_RUN_RECORD_MAX_AGE_MS)),
  );
  // Optional roots: a kept record whose manifest is gone is already unusable (lookups ignore it),
  // so it must not stop gc, unlike a manifest the working tree or a kept commit needs.
  const recordRootList = records.kept.flatMap(runRecordRoots);

  const referenced = new Set<Oid>();
  const seenManifests = new Set<Oid>();
  for (const root of [...roots, ...recordRootList]) {
    referenced.add(root.oid);
    if (!root.directory || seenManifests.has(root.oid)) continue;
    seenManifests.add(root.oid);
    const bytes = await manifestBytes(store, remote, root);
    if (!bytes) continue;
    for (const entry of parseManifest(bytes.toString("utf8"), `manifest ${root.oid} (${root.source})`)) {
      referenced.add(entry.hash);
    }
  }

  const unreferenced: Oid[] = [];
  let removedBytes = 0;
  let kept = 0;
  let keptBytes = 0;
  // Another machine may be pushing objects whose pointers are not committed yet: keep young ones.
  const objectCutoff =
    (options.now ?? (() => new Date()))().getTime() - (options.graceMs ?? DEFAULT_UPLOAD_GRACE_MS);
  for await (const object of remote.list()) {
    const young = (object.lastModified?.getTime() ?? 0) > objectCutoff;
    if (referenced.has(object.oid) || young) {
      kept++;
      keptBytes += object.size;
    } else {
      unreferenced.push(object.oid);
      removedBytes += object.size;
    }
  }
  // Records first: a record never outlives the objects it names.
  if (!dryRun && records.expired.length > 0) await remote.removeRunRecords(records.expired);
  if (!dryRun && unreferenced.length > 0) await remote.remove(unreferenced);

  const cutoff = now.getTime() - (options.uploadGraceMs ?? DEFAULT_UPLOAD_GRACE_MS);
  const stale = (await remote.listIncompleteUploads()).filter((u) => (u.initiated?.getTime() ?? 0) <= cutoff);
  if (!dryRun) for (const upload of stale) await remote.abortUpload(upload);

  return {
    remote: remote.name,
    url: remote.url,
    dryRun,
    commits: commits.length,
    referenced: referenced.size,
    removed: unreferenced.length,
    removedBytes,
    kept,
    keptBytes,
    abortedUploads: stale.length,
    keptRunRecords: records.kept.length,
    expiredRunRecords: records.expired.length,
  };
}
