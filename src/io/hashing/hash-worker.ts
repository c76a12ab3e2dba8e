/**
 * The worker thread of the hashing pool (hash-files-parallel.ts): it runs the shared core on
 * the jobs it is sent. A module of its own so esbuild bundles it next to each action's index.js.
 *
 * In:  { id, op: "hash", files: HashJob[] } | { id, op: "walk", root, dirs, fileChunks }
 * Out: { id, results: HashResult[] }        | { id, walk: WalkPart } | { id, error }
 */
import { parentPort } from "node:worker_threads";
import { errnoCode, toError } from "../../core/errors.js";
import { type HashJob, type HashResult, hashFileSyncCore, type WalkShare, walkFolders } from "./hash-core.js";

export type WorkerRequest =
  | { id: number; op: "hash"; files: HashJob[] }
  | ({ id: number; op: "walk"; root: string } & WalkShare);

function describe(thrown: unknown): { code?: string; message: string } {
  const code = errnoCode(thrown);
  return { ...(code ? { code } : {}), message: toError(thrown).message };
}

const port = parentPort;
if (!port) throw new Error("hash-worker.ts runs as a worker thread only");
port.on("message", (request: WorkerRequest) => {
  if (request.op === "hash") {
    const results = request.files.map((job): HashResult => {
      try {
        return hashFileSyncCore(job);
      } catch (thrown) {
        return { error: describe(thrown) };
      }
    });
    port.postMessage({ id: request.id, results });
    return;
  }
  try {
    const walk = walkFolders(request.root, request);
    port.postMessage({ id: request.id, walk }, [
      walk.ino.buffer,
      walk.size.buffer,
      walk.mtime.buffer,
      walk.mode.buffer,
    ]);
  } catch (thrown) {
    port.postMessage({ id: request.id, error: describe(thrown) });
  }
});
