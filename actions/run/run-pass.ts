/**
 * One pass of the `run` action over the current checkout: pull what the selected stages read, run
 * the stale stages, each in its own log group (when they run one at a time; parallel stages keep
 * their `[stage]` line prefixes instead, since groups cannot interleave), push the outs the lock
 * records and regenerate the model cards.
 */
import type { Config } from "../../src/core/config/schema.js";
import { TrainyardError } from "../../src/core/errors.js";
import { endLogGroup, logGroup, logInfo, startLogGroup } from "../../src/io/action/index.js";
import { loadConfig } from "../../src/io/config/index.js";
import { cardPathOf, regenerateCard } from "../../src/io/registry/index.js";
import {
  readLockFile,
  runPipeline,
  type StageRunResult,
  writeStageOutcomes,
} from "../../src/io/pipeline/index.js";
import {
  fingerprintsToPush,
  openRemoteRunCache,
  pullStageInputs,
  pushRoots,
  pushRunRecords,
  type RemoteStore,
  rootsFromLock,
} from "../../src/io/remote/index.js";
import type { Repo } from "../../src/io/git/index.js";
import { writeRenderedPlots } from "../../src/io/plots/index.js";
import type { RunInputs } from "./inputs.js";

export interface Pass {
  readonly config: Config;
  /** Model cards written (paths), to commit with the results. */
  readonly cards: readonly string[];
  /** Every selected stage: ran, restored (and from where) or up to date. */
  readonly stages: readonly StageRunResult[];
  /** The data plots rendered as SVG (repository paths), to commit with the metrics. */
  readonly renderedPlots: readonly string[];
  /** The stage outcomes record written next to the lock (for the PR comment), when stages ran. */
  readonly outcomesRecord?: string;
}

/** One pass of pull → run → push → cards on the current checkout. */
export async function runPass(
  repo: Repo,
  remote: RemoteStore | undefined,
  inputs: RunInputs,
  ran: Set<string>,
): Promise<Pass> {
  const { config } = await loadConfig(repo.root);
  if (remote) {
    await logGroup("Pull the stages' inputs", async () => {
      const pulled = await pullStageInputs(repo, config, remote, inputs.stages);
      logInfo(`Pulled ${pulled.transferred} object(s) (${pulled.bytes} bytes)`);
      for (const root of pulled.roots) logInfo(`${root.path} ← ${root.source}`);
    });
  }
  const stages = await runStages(repo, inputs, remote && inputs.runCache ? remote : undefined);
  const finished = stages.filter((s) => s.action === "ran" || s.action === "restored").map((s) => s.stage);
  for (const stage of finished) ran.add(stage);
  if (remote && inputs.push)
    await logGroup("Push the outputs", () => pushLockOutputs(repo, remote, inputs.runCache));
  // A card records the commit it was made from, so regenerating it without new results would
  // change it on every run and commit forever.
  const cards =
    finished.length > 0 ? await logGroup("Model cards", () => regenerateCards(repo.root, config)) : [];
  // Same reason as the cards: an SVG is redrawn only when a stage produced something new.
  const renderedPlots =
    finished.length > 0 ? await logGroup("Render the plots", () => renderPlots(repo.root, config)) : [];
  // Written with the lock it describes, so the PR comment can say what this run did per stage.
  const outcomesRecord = finished.length > 0 ? await writeStageOutcomes(repo.root, stages) : undefined;
  return { config, cards, stages, renderedPlots, ...(outcomesRecord ? { outcomesRecord } : {}) };
}

/** Runs the stale stages; returns every selected stage's result, in the order they finished. */
async function runStages(repo: Repo, inputs: RunInputs, shared?: RemoteStore): Promise<StageRunResult[]> {
  const grouped = inputs.jobs === 1;
  let openGroup: string | undefined;
  const result = await runPipeline(repo, {
    // The shared run cache: a stale stage computed by another runner is restored, not run again.
    ...(shared ? { remoteCache: async () => openRemoteRunCache(repo, shared) } : {}),
    ...(inputs.stages.length ? { targets: inputs.stages } : {}),
    jobs: inputs.jobs,
    force: inputs.force,
    onStageStart: (stage, reasons) => {
      const line = `▶ ${stage}: ${reasons.join("; ")}`;
      if (!grouped) return logInfo(line);
      startLogGroup(line);
      openGroup = stage;
    },
    onStageEnd: (r) => {
      if (openGroup === r.stage) {
        endLogGroup();
        openGroup = undefined;
      }
      const from = r.restored
        ? ` from the run cache (${r.restored.origin || "no metadata"}; record from ${r.restored.source === "local" ? "the local store" : `remote "${r.restored.source}"`})`
        : r.reasons.length
          ? ` because ${r.reasons.join("; ")}`
          : "";
      logInfo(`■ ${r.stage}: ${r.action} (${r.durationMs} ms)${from}${r.error ? ` — ${r.error}` : ""}`);
      for (const warning of r.warnings ?? []) logInfo(`! ${r.stage}: ${warning}`);
    },
  });
  if (!result.ok) {
    const failed = result.stages.filter((s) => s.action === "failed" || s.action === "not-started");
    throw new TrainyardError(
      "pipeline",
      `the pipeline failed, nothing was committed: ${failed.map((s) => `${s.stage} ${s.action}${s.error ? ` (${s.error})` : ""}`).join("; ")}`,
    );
  }
  return result.stages;
}

async function pushLockOutputs(repo: Repo, remote: RemoteStore, runCache: boolean): Promise<void> {
  const roots = rootsFromLock(await readLockFile(repo.root));
  const pushed = await pushRoots(repo, remote, roots);
  logInfo(`Pushed ${pushed.transferred} object(s) (${pushed.bytes} bytes) to the remote`);
  if (!runCache) return;
  const fingerprints = await fingerprintsToPush(repo, roots, { everything: true, everyRecord: false });
  const runs = await pushRunRecords(repo, remote, fingerprints);
  logInfo(`Pushed ${runs.pushed} run record(s) (${runs.alreadyThere} already on the remote)`);
}

async function renderPlots(root: string, config: Config): Promise<string[]> {
  const written = await writeRenderedPlots(root, config);
  for (const file of written) logInfo(`rendered ${file}`);
  return written;
}

async function regenerateCards(root: string, config: Config): Promise<string[]> {
  const written: string[] = [];
  for (const model of Object.keys(config.models)) {
    await regenerateCard(root, config, model);
    written.push(cardPathOf(config, model));
  }
  return written;
}
