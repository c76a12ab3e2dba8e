/**
 * The plan: which stages must run, grouped into dependency levels. A stage is in the plan when it
 * is stale itself or when a stage it depends on is in the plan (its deps will change). Stages in
 * one level do not depend on each other, so CI can fan a level out as a matrix.
 */
import { type Dag, withUpstream } from "./dag.js";
import type { StaleReason, StageStatus } from "./fingerprint.js";

export interface PlannedStage {
  stage: string;
  reasons: StaleReason[];
}

export interface Plan {
  levels: PlannedStage[][];
  upToDate: string[];
}

export function planStages(
  dag: Dag,
  statuses: ReadonlyMap<string, Pick<StageStatus, "stale" | "reasons" | "frozen">>,
  options: { targets?: readonly string[]; force?: boolean } = {},
): Plan {
  const selected = options.targets?.length ? withUpstream(dag, options.targets) : [...dag.stages];
  const inSelection = new Set(selected);
  const reasons = new Map<string, StaleReason[]>();
  const level = new Map<string, number>();
  // dag.levels is topological, so every upstream stage is decided before its dependents.
  for (const stage of dag.levels.flat()) {
    if (!inSelection.has(stage)) continue;
    const own = statuses.get(stage);
    // A frozen stage stays out of the plan, even below a changed stage (only --force runs it).
    if (own?.frozen && !options.force) continue;
    const why: StaleReason[] = [];
    if (own?.stale) why.push(...own.reasons);
    else if (options.force) why.push({ kind: "forced" });
    let depth = 0;
    for (const up of dag.upstream.get(stage) ?? []) {
      const upLevel = level.get(up);
      if (upLevel === undefined) continue;
      why.push({ kind: "upstream", stage: up });
      depth = Math.max(depth, upLevel + 1);
    }
    if (why.length === 0) continue;
    reasons.set(stage, why);
    level.set(stage, depth);
  }
  const levels: PlannedStage[][] = [];
  for (const stage of selected) {
    const d = level.get(stage);
    if (d !== undefined) levels[d] = [...(levels[d] ?? []), { stage, reasons: reasons.get(stage)! }];
  }
  return { levels: levels.filter(Boolean), upToDate: selected.filter((s) => !reasons.has(s)) };
}
