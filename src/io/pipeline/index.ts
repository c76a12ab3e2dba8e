/**
 * Pipeline use cases: run stages, read the lock, restore outputs, report what is stale.
 * What other layers may import from this folder; everything else here is internal.
 */
export { readLockFile } from "./lock-file.js";
export { readStoredOutputAt } from "./read-stored-output.js";
export { assertStagesExist } from "./observe-stage.js";
export { collectPipelineStatus, type PipelineStatus } from "./pipeline-status.js";
export { restoreLockOutputs, restoreOut } from "./restore-out.js";
export type { RemoteRunCache, RemoteRunLookup } from "./remote-run-cache-port.js";
export { listRunFingerprints, readRunRecord, recordRun } from "./run-cache.js";
export { runPipeline, type RunResult, type StageRunResult } from "./run-pipeline.js";
export type { LineSink } from "./spawn-stage.js";
export { writeStageOutcomes } from "./stage-outcomes-file.js";
