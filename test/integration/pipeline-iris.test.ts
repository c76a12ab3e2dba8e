/**
 * examples/iris end to end through the pipeline runner: run → a second run runs nothing →
 * change a train param → only train and evaluate re-run, and the metrics change.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExample } from "../../support/copy-example.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

interface RunJson {
  ok: boolean;
  stages: { stage: string; action: string }[];
}
const actions = (r: RunJson) => Object.fromEntries(r.stages.map((s) => [s.stage, s.action]));

describe("examples/iris through trainyard run", () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = makeTempRepo({ prefix: "trainyard-iris-run-" });
    copyExample("iris", repo.dir);
    // As a user would: init adds .trainyard/.gitignore (store and cache stay out of git).
    expect((await runCli(["init"], { cwd: repo.dir })).code).toBe(0);
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "iris"]);
  });
  afterAll(() => repo.cleanup());

  it("runs, then does nothing, then re-runs exactly train and evaluate after a train param change", async () => {
    const first = await runCli(["run", "--json"], { cwd: repo.dir });
    expect(first.code, first.stderr).toBe(0);
    expect(actions(first.json<RunJson>())).toEqual({ prepare: "ran", train: "ran", evaluate: "ran" });
    const metrics = JSON.parse(readFileSync(join(repo.dir, "metrics.json"), "utf8")) as { accuracy: number };
    expect(metrics.accuracy).toBeGreaterThan(0.8);
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "trained"]);

    const started = performance.now();
    const second = await runCli(["run", "--json"], { cwd: repo.dir });
    console.log(`no-op trainyard run on examples/iris: ${(performance.now() - started).toFixed(0)} ms`);
    expect(actions(second.json<RunJson>())).toEqual({
      prepare: "up-to-date",
      train: "up-to-date",
      evaluate: "up-to-date",
    });

    const paramsFile = join(repo.dir, "params.yaml");
    writeFileSync(paramsFile, readFileSync(paramsFile, "utf8").replace("max_depth: 4", "max_depth: 1"));
    const third = await runCli(["run", "--json"], { cwd: repo.dir });
    expect(actions(third.json<RunJson>())).toEqual({ prepare: "up-to-date", train: "ran", evaluate: "ran" });
    expect(repo.git(["status", "--porcelain"]).split("\n").filter(Boolean).sort()).toEqual([
      " M metrics.json",
      " M params.yaml",
      " M plots/confusion.json",
      " M plots/per_class.csv",
      " M trainyard.lock",
    ]);
  });
});
