/**
 * What every data use case needs: the repo, its local store, the stat cache and a worker pool.
 * Opened once per command and closed at the end (saving the stat cache, stopping the workers).
 */
import { join } from "node:path";
import { StatCache, WorkerPool } from "../hashing/index.js";
import type { Progress } from "../progress.js";
import { LocalStore } from "../store/index.js";
import type { Repo } from "../git/index.js";

export interface DataContext {
  repo: Repo;
  store: LocalStore;
  cache: StatCache;
  pool: WorkerPool;
  progress?: Progress;
}

export function statCachePath(repo: Repo): string {
  return join(repo.cacheDir, "stat-cache.bin");
}

export async function withDataContext<T>(
  repo: Repo,
  options: { progress?: Progress },
  fn: (ctx: DataContext) => Promise<T>,
): Promise<T> {
  const ctx: DataContext = {
    repo,
    store: new LocalStore(repo.storeDir),
    cache: StatCache.load(statCachePath(repo)),
    pool: new WorkerPool(),
    ...(options.progress ? { progress: options.progress } : {}),
  };
  try {
    const result = await fn(ctx);
    await ctx.cache.save();
    return result;
  } finally {
    await ctx.pool.close();
  }
}
