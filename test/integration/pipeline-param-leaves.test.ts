/**
 * Params are compared leaf by leaf: a stage that declares a whole section (`params: [train]`)
 * re-runs only when a value inside it changed, and says which one (`train.lr: 0.1 → 0.5`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePipelineRepo, type PipelineRepo } from "../helpers/pipeline-fixture.js";
import { runCli } from "../helpers/temp-repo.js";

interface StatusJson {
  stages: { stage: string; state: string; reasons: string[] }[];
}

describe("leaf-level params (real pipeline)", () => {
  let repo: PipelineRepo;
  const trainStatus = async () =>
    (await runCli(["status", "--json"], { cwd: repo.dir }))
      .json<StatusJson>()
      .stages.find((s) => s.stage === "train");

  beforeAll(async () => {
    repo = await makePipelineRepo();
    // train reads the whole section, which holds two values.
    repo.write(
      "params.json",
      `${JSON.stringify({ prepare: { scale: 2 }, train: { lr: 0.1, depth: 3 }, audit: { level: 1 } }, null, 2)}\n`,
    );
    repo.write(
      "trainyard.yaml",
      repo.read("trainyard.yaml").replace("params: [train.lr]\n", "params: [train]\n"),
    );
    const first = await runCli(["run"], { cwd: repo.dir });
    if (first.code !== 0) throw new Error(first.stderr);
    repo.takeRuns();
  });
  afterAll(() => repo.cleanup());

  it("reordering the section's keys is not a change", async () => {
    repo.write(
      "params.json",
      `${JSON.stringify({ audit: { level: 1 }, train: { depth: 3, lr: 0.1 }, prepare: { scale: 2 } }, null, 2)}\n`,
    );
    expect(await trainStatus()).toMatchObject({ state: "up-to-date", reasons: [] });
  });

  it("naming the leaves instead of the section ([train] → [train.lr, train.depth]) is not a change", async () => {
    repo.write(
      "trainyard.yaml",
      repo.read("trainyard.yaml").replace("params: [train]\n", "params: [train.lr, train.depth]\n"),
    );
    expect(await trainStatus()).toMatchObject({ state: "up-to-date", reasons: [] });
    const { code } = await runCli(["run"], { cwd: repo.dir });
    expect(code).toBe(0);
    expect(repo.takeRuns()).not.toContain("train");
  });

  it("a changed leaf is named with its old and new value", async () => {
    repo.write(
      "trainyard.yaml",
      repo.read("trainyard.yaml").replace("params: [train.lr, train.depth]\n", "params: [train]\n"),
    );
    repo.setParam("train", "depth", 5);
    expect(await trainStatus()).toEqual({
      stage: "train",
      state: "stale",
      reasons: ["param train.depth: 3 → 5"],
    });
  });
});
