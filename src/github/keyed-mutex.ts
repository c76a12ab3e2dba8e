/**
 * Serialises async work per key inside one process (e.g. per PR), so two webhook deliveries for
 * the same PR never interleave their list → create/update steps. Keys are dropped when idle.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withKeyedLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(work);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
