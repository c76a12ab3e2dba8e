/**
 * The run action's `metrics` output and job summary read metrics files the way the CLI and the
 * bot do, whatever their format: YAML and CSV metrics come out as values, not as raw text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../actions/run/runner.js";
import { type ActionHarness, startActionHarness } from "../helpers/action-harness.js";

const CONFIG = [
  "stages:",
  "  evaluate:",
  "    cmd: sh evaluate.sh",
  "    deps: [evaluate.sh]",
  "    metrics: [metrics.yaml, scores.csv]",
  "models:",
  "  clf:",
  "    path: metrics.yaml",
  "    metrics: metrics.yaml",
  "    gates:",
  "      accuracy: { min: 0.9 }",
  "",
].join("\n");

const EVALUATE = [
  "printf 'accuracy: 0.93\\nloss:\\n  train: 0.12\\n' > metrics.yaml",
  "printf 'epoch,f1\\n1,0.5\\n2,0.81\\n' > scores.csv",
  "",
].join("\n");

let h: ActionHarness;
const failures: string[] = [];

beforeAll(async () => {
  h = await startActionHarness({ "trainyard.yaml": CONFIG, "evaluate.sh": EVALUATE });
});
afterAll(() => h?.stop());

describe("run action metrics", () => {
  it("outputs YAML and CSV metrics as values and shows them in the job summary", async () => {
    const result = await run(h.env({ push: "false" }, { name: "push" }), (m) => failures.push(m));
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    const metrics = JSON.parse(h.outputs().metrics ?? "{}") as Record<string, unknown>;
    expect(metrics["metrics.yaml"]).toEqual({ accuracy: 0.93, "loss.train": 0.12 });
    // A CSV metrics file's last row is the result (earlier rows are the history of a run).
    expect(metrics["scores.csv"]).toEqual({ epoch: 2, f1: 0.81 });
    const summary = h.summary();
    expect(summary).toContain("Stages run: `evaluate`");
    expect(summary).toMatch(/accuracy[^\n]*0\.93/);
  });
});
