/**
 * Remotes (S3) and transfers. The CLI loads this on demand (one dynamic import) for push, fetch,
 * pull and gc --remote, so the AWS SDK is not read at start-up; the run action imports it directly.
 * What other layers may import from this folder; everything else here is internal.
 */
export { type DataRoot, rootsFromLock, workingTreeRoots } from "../store/index.js";
export { openConfiguredRemote } from "./open-configured-remote.js";
export { type PulledInputs, pullStageInputs } from "./pull-stage-inputs.js";
export { chooseRemoteName, openRemote, openRemoteEntry, readStoreConfig } from "./open-remote.js";
export type { RemoteStore } from "./remote.js";
export { fsckRemote, type RemoteFsckResult } from "./fsck-remote.js";
export { gcRemote } from "./remote-gc.js";
export { fetchRoots, pushRoots } from "./sync-data.js";
export type { TransferSummary } from "./transfer.js";
export {
  fetchRunRecords,
  fingerprintsToPush,
  openConfiguredRunCache,
  openRemoteRunCache,
  pushRunRecords,
  type RunRecordFetchSummary,
  type RunRecordPushSummary,
} from "./remote-run-cache.js";
export { runRecordKey } from "./s3-location.js";
export { hashingPassThrough } from "./verify-stream.js";
export { createS3Remote } from "./s3-remote.js";
export { createS3Target, type S3Target } from "./s3-target.js";
export { remoteError } from "./s3-errors.js";
