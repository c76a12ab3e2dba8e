import { describe, expect, it } from "vitest";
import type { StageConfig } from "../../src/core/config/schema.js";
import { buildDag, descendants, withUpstream } from "../../src/core/dag.js";

const stage = (deps: string[], outs: string[], extra: Partial<StageConfig> = {}): StageConfig => ({
  cmd: "true",
  deps,
  outs,
  params: [],
  metrics: [],
  plots: [],
  ...extra,
});

describe("buildDag", () => {
  it("links stages through exact, containing and contained paths and computes levels", () => {
    const { dag, problems } = buildDag({
      evaluate: stage(["models/m.json", "data/prepared/test.csv"], [], { metrics: ["metrics.json"] }),
      prepare: stage(["data/raw"], ["data/prepared"]),
      train: stage(["data/prepared"], ["models/m.json"]),
      report: stage(["models", "metrics.json"], [], { plots: ["plots/p.json"] }),
      lint: stage(["src"], []),
    });
    expect(problems).toEqual([]);
    expect([...dag!.upstream.get("evaluate")!].sort()).toEqual(["prepare", "train"]);
    expect([...dag!.upstream.get("report")!].sort()).toEqual(["evaluate", "train"]);
    expect(dag!.levels).toEqual([["prepare", "lint"], ["train"], ["evaluate"], ["report"]]);
    expect(withUpstream(dag!, ["train"])).toEqual(["prepare", "train"]);
    expect([...descendants(dag!, "train")].sort()).toEqual(["evaluate", "report"]);
  });

  it("reports a cycle with the stage names on it in run order", () => {
    const { problems } = buildDag({
      a: stage(["c.out"], ["a.out"]),
      b: stage(["a.out"], ["b.out"]),
      c: stage(["b.out"], ["c.out"]),
      d: stage(["c.out"], ["d.out"]),
    });
    expect(problems).toEqual([
      { path: ["stages", "a"], message: "stages form a cycle: a → b → c → a; remove one of these deps" },
    ]);
  });

  it("reports a stage that reads its own out", () => {
    expect(buildDag({ a: stage(["out/x"], ["out"]) }).problems).toEqual([
      {
        path: ["stages", "a", "deps", 0],
        message: 'stage "a" depends on its own out "out"; a stage cannot read what it writes',
      },
    ]);
  });

  it("reports two producers of one path and nested outs", () => {
    const { problems } = buildDag({
      a: stage([], ["data/out"]),
      b: stage([], ["data/out/"]),
      c: stage([], [], { metrics: ["data/out/m.json"] }),
    });
    expect(problems.map((p) => p.message)).toEqual([
      'out "data/out" is also declared at stages.a.outs[0]; each path must have exactly one producer',
      'out "data/out/m.json" is inside "data/out", declared at stages.a.outs[0]; outs may not be nested',
    ]);
    expect(problems[0]!.path).toEqual(["stages", "b", "outs", 0]);
    expect(problems[1]!.path).toEqual(["stages", "c", "metrics", 0]);
  });
});
