/**
 * `trainyard run`: run the stale stages (and what they depend on) in dependency order, independent
 * stages in parallel. A stage whose fingerprint was seen before is restored from the run cache
 * instead of running. A failing stage stops only its dependents; its outs are not cached and its
 * lock entry is left as it was. The lock is rewritten atomically after each successful stage.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import pLimit from "p-limit";
import { selectParams } from "../../core/config/params.js";
import { buildDag, OUT_KINDS, stageOutPaths, withUpstream } from "../../core/dag.js";
import { toError } from "../../core/errors.js";
import { describeReason, explainStage } from "../../core/fingerprint.js";
import { describeOrigin, recordMismatch } from "../../core/run-cache/run-record.js";
import { type Lock, type LockEntry, type LockStage, withLockStage } from "../../core/lock.js";
import { normalizeRepoPath } from "../../core/repo-path.js";
import { type DataContext, withDataContext } from "../data/index.js";
import { type LoadedConfig, loadConfig } from "../config/index.js";
import type { Repo } from "../git/index.js";
import { readLockFile, writeLockFile } from "./lock-file.js";
import { assertDepsAvailable, assertStagesExist, observeStage } from "./observe-stage.js";
import { restoreOut } from "./restore-out.js";
import {
  clearOuts,
  declaredOutPaths,
  ignoreOuts,
  type StoredOuts,
  storeOuts,
  usesRunCache,
} from "./stage-outs.js";
import { type CachedRun, CachedRunLookup } from "./cached-run-lookup.js";
import type { RemoteRunCache } from "./remote-run-cache-port.js";
import { type RunRecord, recordRun } from "./run-cache.js";
import { type RunEnvironment, readRunEnvironment, runMetadata } from "./run-metadata.js";
import { type LineSink, spawnStage } from "./spawn-stage.js";

export type StageAction = "up-to-date" | "ran" | "restored" | "failed" | "not-started";

export interface StageRunResult {
  stage: string;
  action: StageAction;
  reasons: string[];
  durationMs: number;
  error?: string;
  /** For a restored stage: where its record came from and what it says about the first run. */
  restored?: RestoredFrom;
  /** Remote run cache trouble the stage worked around (it ran instead). */
  warnings?: string[];
}

export interface RestoredFrom {
  /** `local`, or the name of the remote the record came from. */
  source: string;
  /** e.g. `first computed at a1b2c3d on 2026-11-20 by workflow run #412, saved 4 m 12 s` ("" when unknown). */
  origin: string;
  /** How long the command took when it first ran, i.e. the time this restore saved. */
  savedMs?: number;
}

export interface RunResult {
  ok: boolean;
  stages: StageRunResult[];
  durationMs: number;
  /** What the user should know that did not change the outcome (e.g. the file-system monitor is off). */
  warnings?: string[];
}

export interface RunOptions {
  targets?: readonly string[];
  force?: boolean;
  jobs?: number;
  onLine?: LineSink;
  onStageStart?: (stage: string, reasons: readonly string[]) => void;
  onStageEnd?: (result: StageRunResult) => void;
  env?: NodeJS.ProcessEnv;
  /** Opens the remote run cache, asked for a stale stage's fingerprint before it runs (see `CachedRunLookup`). */
  remoteCache?: () => Promise<RemoteRunCache | undefined>;
  /**
   * Let a file-system monitor (TRAINYARD_FSMONITOR) tell which dep and out folders are untouched
   * until the first stage writes anything: a no-op run then walks nothing. For the user's own
   * working tree, not for experiments' temporary worktrees (each would become a watch).
   */
  watchChanges?: boolean;
}

const defaultSink: LineSink = (line, stream) =>
  (stream === "stdout" ? process.stdout : process.stderr).write(`${line}\n`);

export async function runPipeline(repo: Repo, options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const loaded = await loadConfig(repo.root);
  assertStagesExist(loaded.config, options.targets ?? []);
  const dag = buildDag(loaded.config.stages).dag!;
  const selected = options.targets?.length ? withUpstream(dag, options.targets) : [...dag.stages];
  // Refuse up front, before anything runs or is written.
  assertDepsAvailable(repo.root, loaded, dag, selected);
  const environment = readRunEnvironment(repo.root, options.env ?? process.env);
  const runner = new StageRunner(loaded, await readLockFile(repo.root), options, environment);
  const contextOptions = options.watchChanges ? { watchChanges: true } : {};
  return withDataContext(repo, contextOptions, async (ctx) => {
    // Every out must be a path Trainyard may write before any command runs or any out is restored.
    for (const name of selected) {
      const stage = loaded.config.stages[name]!;
      for (const kind of OUT_KINDS)
        for (const path of stageOutPaths(stage, kind))
          ctx.guard.check(join(repo.root, normalizeRepoPath(path)));
    }
    const lookup = new CachedRunLookup(ctx.store, options.remoteCache);
    try {
      return await runStages(ctx, lookup);
    } finally {
      await lookup.close();
    }
  });

  async function runStages(ctx: DataContext, lookup: CachedRunLookup): Promise<RunResult> {
    const inSelection = new Set(selected);
    const limit = pLimit(Math.max(1, options.jobs ?? availableParallelism()));
    const promises = new Map<string, Promise<StageRunResult>>();
    const schedule = (name: string): Promise<StageRunResult> => {
      let promise = promises.get(name);
      if (promise) return promise;
      const upstream = [...(dag.upstream.get(name) ?? [])].filter((u) => inSelection.has(u));
      promise = Promise.all(upstream.map(schedule)).then((ups) => {
        const blocked = ups.find((u) => u.action === "failed" || u.action === "not-started");
        if (blocked) {
          const result: StageRunResult = {
            stage: name,
            action: "not-started",
            reasons: [
              `upstream stage ${blocked.stage} ${blocked.action === "failed" ? "failed" : "did not run"}`,
            ],
            durationMs: 0,
          };
          options.onStageEnd?.(result);
          return result;
        }
        return limit(() => runner.run(ctx, lookup, name));
      });
      promises.set(name, promise);
      return promise;
    };
    const stages = await Promise.all(selected.map(schedule));
    await runner.settled();
    return {
      ok: stages.every((s) => s.action !== "failed" && s.action !== "not-started"),
      stages,
      durationMs: Date.now() - started,
      ...(ctx.warnings.length ? { warnings: ctx.warnings } : {}),
    };
  }
}

class StageRunner {
  private lockWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly loaded: LoadedConfig,
    private lock: Lock,
    private readonly options: RunOptions,
    private readonly environment: RunEnvironment,
  ) {}

  settled(): Promise<void> {
    return this.lockWrites;
  }

  async run(ctx: DataContext, lookup: CachedRunLookup, name: string): Promise<StageRunResult> {
    const started = Date.now();
    const warnings: string[] = [];
    let restored: RestoredFrom | undefined;
    const done = (action: StageAction, reasons: string[], error?: string): StageRunResult => {
      const result: StageRunResult = {
        stage: name,
        action,
        reasons,
        durationMs: Date.now() - started,
        ...(error ? { error } : {}),
        ...(restored ? { restored } : {}),
        ...(warnings.length ? { warnings } : {}),
      };
      this.options.onStageEnd?.(result);
      return result;
    };
    let reasons: string[] = [];
    try {
      const stage = this.loaded.config.stages[name]!;
      const seen = await observeStage(
        ctx,
        stage,
        this.loaded.params,
        this.loaded.paramFiles,
        this.loaded.config.store,
        this.lock.stages[name],
      );
      const status = explainStage(name, stage, seen, this.lock.stages[name]);
      if (!status.stale && !this.options.force) return done("up-to-date", []);
      reasons = status.stale ? status.reasons.map(describeReason) : ["forced (--force)"];
      // From here this stage writes (restored or new outs): the monitor's start-of-command answer
      // no longer describes the disk. A stage that reads these outs waits for this one, so it
      // observes them after this call; independent stages never touch each other's paths.
      ctx.monitor?.stopAnswering();
      const fingerprint = status.fingerprint;
      if (!fingerprint) return done("failed", reasons, "a dep is missing after its upstream stages ran");
      const entry = (outs: StoredOuts): LockStage => ({
        cmd: stage.cmd,
        fingerprint,
        deps: [...seen.deps.values()].filter((d): d is LockEntry => d !== undefined),
        params: selectParams(this.loaded.params, stage.params, this.loaded.paramFiles),
        ...outs,
      });
      // An always_changed stage reads something outside its deps: a cached result could be outdated.
      if (!this.options.force && usesRunCache(stage)) {
        const found = await lookup.find(fingerprint);
        warnings.push(...found.warnings);
        const mismatch = found.hit && recordMismatch(found.hit.record, declaredOutPaths(stage));
        if (mismatch) warnings.push(`run cache record for ${fingerprint.slice(0, 19)}… ignored: ${mismatch}`);
        else if (found.hit) {
          const hit = found.hit.record;
          // Every object is in the local store (verified) before the first out is touched.
          for (const kind of OUT_KINDS) for (const out of hit[kind]) await restoreOut(ctx, out);
          await ignoreOuts(ctx, stage);
          await this.commit(ctx.repo.root, name, entry(hit));
          restored = restoredFrom(found.hit);
          return done("restored", reasons);
        }
      }
      this.options.onStageStart?.(name, reasons);
      const commandStarted = new Date();
      await clearOuts(ctx, stage);
      const exit = await spawnStage(
        ctx.repo.root,
        name,
        stage,
        this.options.onLine ?? defaultSink,
        this.options.env,
      );
      // The command may have made folders or links where there were none: check afresh.
      ctx.guard.reset();
      if (exit.exitCode !== 0) {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
        return done(
          "failed",
          reasons,
          `command ${how}; its outs were not cached and trainyard.lock keeps its previous entry`,
        );
      }
      const outs = await storeOuts(ctx, stage);
      if (typeof outs === "string") return done("failed", reasons, outs);
      const record: RunRecord = {
        fingerprint,
        stage: name,
        ...outs,
        run: runMetadata(this.environment, commandStarted, new Date(), exit.exitCode),
      };
      if (usesRunCache(stage)) await recordRun(ctx.store, record);
      await ignoreOuts(ctx, stage);
      await this.commit(ctx.repo.root, name, entry(outs));
      return done("ran", reasons);
    } catch (thrown) {
      return done("failed", reasons, toError(thrown).message);
    }
  }

  /** Serialise lock writes: parallel stages finish in any order, the file is rewritten whole each time. */
  private commit(root: string, name: string, value: LockStage): Promise<void> {
    this.lockWrites = this.lockWrites.then(async () => {
      this.lock = withLockStage(this.lock, name, value);
      await writeLockFile(root, this.lock);
    });
    return this.lockWrites;
  }
}

function restoredFrom(hit: CachedRun): RestoredFrom {
  return {
    source: hit.source.kind === "local" ? "local" : hit.source.name,
    origin: describeOrigin(hit.record),
    ...(hit.record.run ? { savedMs: hit.record.run.durationMs } : {}),
  };
}
