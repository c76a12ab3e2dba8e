/**
 * The local content-addressed store, the .ty pointers that reference it, and its garbage collection.
 * What other layers may import from this folder; everything else here is internal.
 */
export { DEFAULT_GC_GRACE_MS, gcLocal, type GcResult } from "./gc-local.js";
export {
  type DataRoot,
  depRootsFromLock,
  expandRoots,
  rootFromPointer,
  rootsFromLock,
  workingTreeRoots,
} from "./data-roots.js";
export { type CommitChoice, chooseCommits, rootsAtCommits } from "./referenced-roots.js";
export { collectGcRoots, type GcRootOptions, runRecordRoots, type RunRecordObjects } from "./gc-roots.js";
export { corruptObject, LocalStore, OBJECT_MODE } from "./local-store.js";
export {
  assertDataPathInside,
  findPointerFiles,
  listPointerFiles,
  loadTrackedData,
  resolvePointerTargets,
  toRepoPath,
  type TrackedData,
} from "./tracked-data.js";
export { missingObjectHint } from "./missing-object-hint.js";
export { type StoreLockOptions, withStoreLock } from "./store-lock.js";
