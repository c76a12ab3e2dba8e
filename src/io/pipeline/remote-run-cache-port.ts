/**
 * The port through which `run` asks a remote for a fingerprint's record before running a stage.
 * It lives here, beside the pipeline, so the pipeline never imports the remote layer (and the AWS
 * SDK); the CLI and the run action plug in ../remote/remote-run-cache.ts.
 */
import type { Oid } from "../../core/oid.js";
import type { RunRecord } from "../../core/run-cache/run-record.js";

export type RemoteRunLookup =
  /** Found, and every object it names is now in the local store, verified. */
  | { found: true; record: RunRecord }
  /** No record; or one that was ignored, and why (damaged, objects missing on the remote). */
  | { found: false; ignored?: string };

export interface RemoteRunCache {
  readonly name: string;
  /** One request for the record; throws when the remote fails (the caller warns and runs the stage). */
  lookup(fingerprint: Oid): Promise<RemoteRunLookup>;
  close(): void;
}
