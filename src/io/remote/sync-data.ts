/**
 * push and fetch of a repository's data: work out the objects behind the chosen roots, then move
 * only what the other side lacks. Directory roots need their manifest first: on fetch the manifests
 * are fetched in a first round, and the files they list in a second.
 */
import type { Oid } from "../../core/oid.js";
import { LocalStore, withStoreLock } from "../store/index.js";
import type { Repo } from "../git/index.js";
import { type DataRoot, expandRoots } from "../store/index.js";
import type { RemoteStore } from "./remote.js";
import { fetchObjects, pushObjects, type TransferOptions, type TransferSummary } from "./transfer.js";

export async function pushRoots(
  repo: Repo,
  remote: RemoteStore,
  roots: readonly DataRoot[],
  options: TransferOptions = {},
): Promise<TransferSummary> {
  const store = new LocalStore(repo.storeDir);
  // Under the store lock: gc must not delete an object between listing and uploading it.
  return withStoreLock(repo.storeDir, async () => {
    const objects = await expandRoots(roots, (oid: Oid) => store.readVerified(oid));
    return pushObjects(remote, store, objects, options);
  });
}

export async function fetchRoots(
  repo: Repo,
  remote: RemoteStore,
  roots: readonly DataRoot[],
  options: TransferOptions = {},
): Promise<TransferSummary> {
  return withStoreLock(repo.storeDir, () => fetchUnlocked(repo, remote, roots, options));
}

async function fetchUnlocked(
  repo: Repo,
  remote: RemoteStore,
  roots: readonly DataRoot[],
  options: TransferOptions,
): Promise<TransferSummary> {
  const store = new LocalStore(repo.storeDir);
  const manifests = roots.filter((r) => r.directory).map((r) => ({ oid: r.oid }));
  const first = await fetchObjects(remote, store, manifests, { ...options, progress: undefined });
  const objects = await expandRoots(roots, (oid: Oid) => store.readVerified(oid));
  const second = await fetchObjects(remote, store, objects, options);
  return {
    objects: second.objects,
    transferred: first.transferred + second.transferred,
    bytes: first.bytes + second.bytes,
    present: second.present - first.transferred,
  };
}
