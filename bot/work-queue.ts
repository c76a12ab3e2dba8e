/**
 * Work that runs after the webhook is acknowledged. GitHub gives a delivery 10 s and retries on
 * timeouts, so handlers only enqueue; the queue runs jobs in the background, one at a time per
 * key (a PR), logs failures instead of leaving unhandled rejections, and can be awaited (tests,
 * graceful shutdown).
 */
import { withKeyedLock } from "../src/github/keyed-mutex.js";

export interface JobLogger {
  error(details: Record<string, unknown>, message: string): void;
}

export interface WorkQueue {
  /**
   * Runs `job` after earlier jobs of the same key. With `coalesce`, a job of the same key and name
   * that has not started yet stands for this one (it reads fresh state when it starts).
   */
  enqueue(key: string, name: string, job: () => Promise<unknown>, options?: { coalesce?: boolean }): void;
  /** Resolves once every job enqueued so far (and any they enqueue) has settled. */
  idle(): Promise<void>;
  /** Jobs that threw, with their key and message (for tests and health checks). */
  readonly failures: { key: string; name: string; message: string }[];
  /** Jobs enqueued and not settled yet, oldest first (what a shutdown reports when it gives up). */
  unfinished(): UnfinishedJob[];
}

export interface UnfinishedJob {
  key: string;
  name: string;
  /** Whether the job had begun (false: still waiting behind an earlier job of its key). */
  started: boolean;
}

export function createWorkQueue(log: JobLogger): WorkQueue {
  const pending = new Set<Promise<void>>();
  const failures: WorkQueue["failures"] = [];
  const waiting = new Set<string>();
  const inFlight = new Map<Promise<void>, UnfinishedJob>();
  return {
    failures,
    unfinished: () => [...inFlight.values()].map((job) => ({ ...job })),
    enqueue(key, name, job, options = {}) {
      const slot = `${key}\0${name}`;
      if (options.coalesce && waiting.has(slot)) return;
      if (options.coalesce) waiting.add(slot);
      const entry: UnfinishedJob = { key, name, started: false };
      const start = () => {
        if (options.coalesce) waiting.delete(slot);
        entry.started = true;
        return job();
      };
      const run = withKeyedLock(`job:${key}`, start).then(
        () => undefined,
        (thrown: unknown) => {
          const message = thrown instanceof Error ? thrown.message : String(thrown);
          failures.push({ key, name, message });
          log.error({ key, job: name, err: message }, `trainyard job ${name} failed`);
        },
      );
      pending.add(run);
      inFlight.set(run, entry);
      void run.finally(() => {
        pending.delete(run);
        inFlight.delete(run);
      });
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
