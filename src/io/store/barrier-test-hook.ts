/**
 * A pause inside the durability barrier, only for crash tests: with
 * `TRAINYARD_TEST_BARRIER_PAUSE=<marker file>` and `TRAINYARD_TEST_BARRIER_STEP=<step>` set, the
 * process writes each barrier step it reaches to the marker and, at the named step, sleeps
 * (synchronously, so nothing else moves) for `TRAINYARD_TEST_BARRIER_PAUSE_MS` (default 10 s),
 * giving a test a window to SIGKILL it exactly there. Without the variables this is a no-op.
 */
import { appendFileSync } from "node:fs";

export function barrierTestHook(): ((step: string) => void) | undefined {
  const marker = process.env.TRAINYARD_TEST_BARRIER_PAUSE;
  if (!marker) return undefined;
  const pauseAt = process.env.TRAINYARD_TEST_BARRIER_STEP;
  const pauseMs = Number(process.env.TRAINYARD_TEST_BARRIER_PAUSE_MS ?? 10_000);
  return (step) => {
    appendFileSync(marker, `${step}\n`);
    if (step === pauseAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pauseMs);
  };
}
