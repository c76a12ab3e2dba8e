/**
 * What every data use case needs: the repo, its local store, the stat cache, a worker pool and the
 * write guard. Opened once per command, under the store lock (so gc never runs in the middle of
 * it), after removing what crashed commands left under `.trainyard/tmp/`; closed at the end
 * (saving the stat cache, stopping the workers, releasing the lock).
 */
import { join } from "node:path";
import { cleanCrashLeftovers, WriteGuard } from "../fs/index.js";
import { ChangeMonitor } from "../fsmonitor/index.js";
import { StatCache, WorkerPool } from "../hashing/index.js";
import type { Progress } from "../progress.js";
import { LocalStore, withStoreLock } from "../store/index.js";
import type { Repo } from "../git/index.js";

export interface DataContext {
  repo: Repo;
  store: LocalStore;
  cache: StatCache;
  pool: WorkerPool;
  guard: WriteGuard;
  progress?: Progress;
  /** Present when the command asked for it, `TRAINYARD_FSMONITOR=watchman` is set and watchman answered. */
  monitor?: ChangeMonitor;
  /** Things the user should hear about that did not stop the command (printed by the CLI). */
  warnings: string[];
}

export interface DataContextOptions {
  progress?: Progress;
  /**
   * Let a file-system monitor answer which folders changed. The answer is taken at the start, so
   * only for commands that write no file in the working tree (status), or that call
   * `ctx.monitor?.stopAnswering()` before their first write (run).
   */
  watchChanges?: boolean;
}

export function statCachePath(repo: Repo): string {
  return join(repo.cacheDir, "stat-cache.bin");
}

export async function withDataContext<T>(
  repo: Repo,
  options: DataContextOptions,
  fn: (ctx: DataContext) => Promise<T>,
): Promise<T> {
  return withStoreLock(repo.storeDir, async () => {
    await cleanCrashLeftovers(repo);
    const opened = options.watchChanges ? ChangeMonitor.open(repo) : { warnings: [] };
    const ctx: DataContext = {
      repo,
      store: new LocalStore(repo.storeDir),
      cache: StatCache.load(statCachePath(repo)),
      pool: new WorkerPool(),
      guard: new WriteGuard(repo.root),
      ...(options.progress ? { progress: options.progress } : {}),
      ...(opened.monitor ? { monitor: opened.monitor } : {}),
      warnings: [...opened.warnings],
    };
    try {
      const result = await fn(ctx);
      await ctx.cache.save();
      // After the stat cache: the monitor's state vouches for the records just saved.
      await ctx.monitor?.save(ctx.cache.treeKeys());
      return result;
    } finally {
      ctx.cache.close();
      await ctx.pool.close();
    }
  });
}
