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
import { readLockFile, runPipeline } from "../../src/io/pipeline/index.js";
import { pullStageInputs, pushRoots, type RemoteStore, rootsFromLock } from "../../src/io/remote/index.js";
import type { Repo } from "../../src/io/git/index.js";
import type { RunInputs } from "./inputs.js";

export interface Pass {
  readonly config: Config;
  /** Model cards written (paths), to commit with the results. */
  readonly cards: readonly string[];
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
  const finished = await runStages(repo, inputs);
  for (const stage of finished) ran.add(stage);
  if (remote && inputs.push) await logGroup("Push the outputs", () => pushLockOutputs(repo, remote));
  // A card records the commit it was made from, so regenerating it without new results would
  // change it on every run and commit forever.
  const cards =
    finished.length > 0 ? await logGroup("Model cards", () => regenerateCards(repo.root, config)) : [];
  return { config, cards };
}

/** Runs the stale stages; returns those that ran or were restored, in the order they finished. */
async function runStages(repo: Repo, inputs: RunInputs): Promise<string[]> {
  const grouped = inputs.jobs === 1;
  let openGroup: string | undefined;
  const result = await runPipeline(repo, {
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
      logInfo(
        `■ ${r.stage}: ${r.action} (${r.durationMs} ms)${r.reasons.length ? ` because ${r.reasons.join("; ")}` : ""}${r.error ? ` — ${r.error}` : ""}`,
      );
    },
  });
  if (!result.ok) {
    const failed = result.stages.filter((s) => s.action === "failed" || s.action === "not-started");
    throw new TrainyardError(
      "pipeline",
      `the pipeline failed, nothing was committed: ${failed.map((s) => `${s.stage} ${s.action}${s.error ? ` (${s.error})` : ""}`).join("; ")}`,
    );
  }
  return result.stages.filter((s) => s.action === "ran" || s.action === "restored").map((s) => s.stage);
}

async function pushLockOutputs(repo: Repo, remote: RemoteStore): Promise<void> {
  const pushed = await pushRoots(repo, remote, rootsFromLock(await readLockFile(repo.root)));
  logInfo(`Pushed ${pushed.transferred} object(s) (${pushed.bytes} bytes) to the remote`);
}

async function regenerateCards(root: string, config: Config): Promise<string[]> {
  const written: string[] = [];
  for (const model of Object.keys(config.models)) {
    await regenerateCard(root, config, model);
    written.push(cardPathOf(config, model));
  }
  return written;
}
