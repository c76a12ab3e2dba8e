import { describe, expect, it } from "vitest";
import type { StageConfig } from "../../src/core/config/schema.js";
import { buildDag } from "../../src/core/dag.js";
import type { StaleReason } from "../../src/core/fingerprint.js";
import { planStages } from "../../src/core/plan.js";

const stage = (deps: string[], outs: string[]): StageConfig => ({
  cmd: "x",
  deps,
  outs,
  params: [],
  metrics: [],
  plots: [],
});
const { dag } = buildDag({
  prepare: stage(["raw"], ["prepared"]),
  featurize: stage(["raw"], ["features"]),
  train: stage(["prepared", "features"], ["model"]),
  evaluate: stage(["model", "prepared"], ["metrics"]),
  docs: stage(["README"], ["site"]),
});
const stale = (...names: string[]) =>
  new Map(
    dag!.stages.map((s) => [
      s,
      {
        stale: names.includes(s),
        reasons: names.includes(s) ? ([{ kind: "never-run" }] as StaleReason[]) : [],
      },
    ]),
  );
const stagesOf = (plan: ReturnType<typeof planStages>) => plan.levels.map((l) => l.map((p) => p.stage));

describe("planStages", () => {
  it("groups stale stages and their dependents into levels", () => {
    const plan = planStages(dag!, stale("prepare", "featurize"));
    expect(stagesOf(plan)).toEqual([["prepare", "featurize"], ["train"], ["evaluate"]]);
    expect(plan.upToDate).toEqual(["docs"]);
    expect(plan.levels[1]![0]!.reasons).toEqual([
      { kind: "upstream", stage: "prepare" },
      { kind: "upstream", stage: "featurize" },
    ]);
  });

  it("puts a downstream stage after its deepest planned upstream", () => {
    expect(stagesOf(planStages(dag!, stale("prepare", "train")))).toEqual([
      ["prepare"],
      ["train"],
      ["evaluate"],
    ]);
    expect(stagesOf(planStages(dag!, stale("evaluate", "docs")))).toEqual([["evaluate", "docs"]]);
  });

  it("is empty when everything is up to date", () => {
    expect(planStages(dag!, stale())).toEqual({ levels: [], upToDate: dag!.stages });
  });

  it("limits to targets and their upstream; --force plans all of them", () => {
    expect(stagesOf(planStages(dag!, stale("docs", "prepare"), { targets: ["train"] }))).toEqual([
      ["prepare"],
      ["train"],
    ]);
    expect(stagesOf(planStages(dag!, stale(), { targets: ["train"], force: true }))).toEqual([
      ["prepare", "featurize"],
      ["train"],
    ]);
  });
});
