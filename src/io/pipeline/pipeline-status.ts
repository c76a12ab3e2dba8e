/**
 * Stage status against the working tree: each stage up to date or stale and why, and the plan
 * (stale stages plus their dependents, in dependency levels). Used by `status` and `plan`.
 */
import { buildDag, type Dag } from "../../core/dag.js";
import { describeReason, explainStage, type StageStatus } from "../../core/fingerprint.js";
import { type Plan, planStages } from "../../core/plan.js";
import { type DataContext, withDataContext } from "../data/index.js";
import type { Progress } from "../progress.js";
import { type LoadedConfig, loadConfig } from "../config/index.js";
import type { Repo } from "../git/index.js";
import { readLockFile } from "./lock-file.js";
import { assertStagesExist, observeStage } from "./observe-stage.js";

export interface StageStatusView {
  stage: string;
  state: "up-to-date" | "stale";
  reasons: string[];
}

export interface PipelineStatus {
  clean: boolean;
  stages: StageStatusView[];
  plan: {
    levels: { stage: string; reasons: string[] }[][];
    upToDate: string[];
  };
}

export async function statusInContext(
  ctx: Pick<DataContext, "repo" | "cache" | "pool" | "store" | "monitor">,
  loaded: LoadedConfig,
  dag: Dag,
  options: { targets?: readonly string[]; force?: boolean } = {},
): Promise<{ statuses: Map<string, StageStatus>; plan: Plan }> {
  const lock = await readLockFile(ctx.repo.root);
  const statuses = new Map<string, StageStatus>();
  for (const name of dag.stages) {
    const stage = loaded.config.stages[name]!;
    const locked = lock.stages[name];
    const seen = await observeStage(
      ctx,
      stage,
      loaded.params,
      loaded.paramFiles,
      loaded.config.store,
      locked,
    );
    statuses.set(name, explainStage(name, stage, seen, locked));
  }
  return { statuses, plan: planStages(dag, statuses, options) };
}

export async function collectPipelineStatus(
  repo: Repo,
  options: { targets?: readonly string[]; progress?: Progress } = {},
): Promise<PipelineStatus> {
  const loaded = await loadConfig(repo.root);
  assertStagesExist(loaded.config, options.targets ?? []);
  const { dag } = buildDag(loaded.config.stages);
  // No stages (a fresh `trainyard init`): nothing to observe, so no store lock and no stat cache.
  if (dag!.stages.length === 0) return { clean: true, stages: [], plan: { levels: [], upToDate: [] } };
  // loadConfig already ran the DAG rules, so a DAG is always there.
  const contextOptions = { watchChanges: true, ...(options.progress ? { progress: options.progress } : {}) };
  return withDataContext(repo, contextOptions, async (ctx) => {
    const { plan } = await statusInContext(ctx, loaded, dag!, options);
    const planned = new Map(plan.levels.flat().map((p) => [p.stage, p.reasons]));
    const wanted = new Set([...plan.upToDate, ...planned.keys()]);
    const stages: StageStatusView[] = dag!.stages
      .filter((s) => wanted.has(s))
      .map((s) => {
        const reasons = planned.get(s);
        return {
          stage: s,
          state: reasons ? "stale" : "up-to-date",
          reasons: (reasons ?? []).map(describeReason),
        };
      });
    return {
      clean: plan.levels.length === 0,
      stages,
      plan: {
        levels: plan.levels.map((l) =>
          l.map((p) => ({ stage: p.stage, reasons: p.reasons.map(describeReason) })),
        ),
        upToDate: plan.upToDate,
      },
    };
  });
}
