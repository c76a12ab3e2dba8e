/**
 * A pool of worker threads (one per core) that hash files — optionally copying them to a temp
 * file at the same time — and walk folders. Work is handed out in batches so every core stays busy.
 */
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { HashJob, HashResult, WalkPart, WalkShare } from "./hash-core.js";

export type { HashJob, HashResult, WalkPart, WalkSegment, WalkShare } from "./hash-core.js";

/**
 * The worker module next to this one: `hash-worker.js` in the compiled build and in each action's
 * bundle (scripts/bundle-actions.ts emits it beside index.js). Running from source (tsx, vitest),
 * Node 20 workers do not inherit the calling thread's TypeScript loader, so the same module is
 * compiled once per process with esbuild (a dev dependency, present whenever sources run).
 */
function workerUrl(): URL {
  if (!import.meta.url.endsWith(".ts")) return new URL("./hash-worker.js", import.meta.url);
  devWorkerUrl ??= compileDevWorker(fileURLToPath(new URL("./hash-worker.ts", import.meta.url)));
  return devWorkerUrl;
}

let devWorkerUrl: URL | undefined;

function compileDevWorker(entry: string): URL {
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "error",
  });
  const code = outputFiles[0]?.text ?? "";
  const file = join(
    tmpdir(),
    `trainyard-hash-worker-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`,
  );
  if (!existsSync(file)) {
    // Written under a unique name, then renamed: concurrent test processes never see half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return pathToFileURL(file);
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(readonly size = Math.max(1, availableParallelism())) {}

  private worker(index: number): Worker {
    let worker = this.workers[index];
    if (!worker) {
      worker = new Worker(workerUrl());
      worker.on("message", (msg: { id: number; error?: { message: string } }) => {
        const pending = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (!pending) return;
        if (msg.error && !("results" in msg))
          pending.reject(Object.assign(new Error(msg.error.message), msg.error));
        else pending.resolve(msg);
      });
      worker.on("error", (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      this.workers[index] = worker;
    }
    return worker;
  }

  private send<T>(index: number, message: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker(index).postMessage({ id, ...message });
    });
  }

  /** Hash (and optionally copy) files; results come back in the order of `jobs`. */
  async hash(
    jobs: readonly HashJob[],
    onBatch?: (done: number, bytes: number) => void,
  ): Promise<HashResult[]> {
    const results: HashResult[] = new Array(jobs.length);
    const batch = Math.max(1, Math.min(256, Math.ceil(jobs.length / (this.size * 8))));
    let next = 0;
    // Two batches in flight per worker: the next one waits in the worker's queue while this one
    // runs, so a worker never idles for a round trip to this thread (which may be busy or in GC).
    // 20,000 files of 4 KiB: the workers were idle ~40% of a cold status with one in flight.
    const lanes = Array.from(
      { length: Math.min(this.size * 2, Math.ceil(jobs.length / batch)) },
      async (_, lane) => {
        while (next < jobs.length) {
          const start = next;
          next = Math.min(jobs.length, next + batch);
          const reply = await this.send<{ results: HashResult[] }>(lane % this.size, {
            op: "hash",
            files: jobs.slice(start, next),
          });
          let bytes = 0;
          reply.results.forEach((r, i) => {
            results[start + i] = r;
            if ("size" in r) bytes += r.size;
          });
          onBatch?.(reply.results.length, bytes);
        }
      },
    );
    await Promise.all(lanes);
    return results;
  }

  /** Walk sub-folders of `root` on worker `lane`. */
  async walk(lane: number, root: string, share: WalkShare): Promise<WalkPart> {
    return (await this.send<{ walk: WalkPart }>(lane % this.size, { op: "walk", root, ...share })).walk;
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Run `fn` with a pool that is always closed afterwards (workers would keep the process alive). */
export async function withWorkerPool<T>(fn: (pool: WorkerPool) => Promise<T>, size?: number): Promise<T> {
  const pool = new WorkerPool(size);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}
