/**
 * The iris example runs as a real ML project: its three stage scripts, run directly with node in
 * a temp copy (the pipeline runner is tested elsewhere), are deterministic per seed, write the
 * documented metrics, and respond to params.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadConfig } from "../../src/io/config/index.js";
import { copyExample, exampleDir } from "../../support/copy-example.js";

const run = promisify(execFile);
const OUTPUTS = [
  "data/prepared/train.csv",
  "data/prepared/test.csv",
  "models/iris/model.json",
  "metrics.json",
  "plots/confusion.json",
  "plots/per_class.csv",
];
const temps: string[] = [];

function freshCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "ty-iris-"));
  temps.push(dir);
  return copyExample("iris", dir);
}

async function runStages(dir: string): Promise<Record<string, Buffer>> {
  for (const script of ["prepare", "train", "evaluate"]) {
    await run(process.execPath, [`src/${script}.mjs`], { cwd: dir });
  }
  return Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(dir, f))]));
}

function setParams(dir: string, edit: (params: Record<string, Record<string, unknown>>) => void): void {
  const file = join(dir, "params.yaml");
  const params = parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
  edit(params);
  writeFileSync(file, stringify(params));
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe("examples/iris", () => {
  it("has a trainyard.yaml that passes the config schema and rules (params, DAG, paths)", async () => {
    const { config } = await loadConfig(exampleDir("iris"));
    expect(Object.keys(config.stages)).toEqual(["prepare", "train", "evaluate"]);
    expect(config.models.iris!.gates).toEqual({ accuracy: { min: 0.9, max_drop: 0.01 } });
    expect(config.monitor).toMatchObject({ reference: "data/prepared/train.csv", model: "iris" });
  });

  let baseline: Record<string, Buffer>;

  it("same params and seeds give byte-identical outputs in two separate copies", async () => {
    const [a, b] = await Promise.all([runStages(freshCopy()), runStages(freshCopy())]);
    for (const file of OUTPUTS) expect(a[file]?.equals(b[file]!), file).toBe(true);
    baseline = a;
  });

  it("writes accuracy, macro F1 and per-class precision/recall, and passes the gate at default params", () => {
    const metrics = JSON.parse(baseline["metrics.json"]!.toString());
    expect(Object.keys(metrics).sort()).toEqual(["accuracy", "f1_macro", "per_class", "samples"]);
    expect(Object.keys(metrics.per_class)).toEqual(["setosa", "versicolor", "virginica"]);
    for (const cls of Object.values(metrics.per_class) as Record<string, number>[]) {
      expect(cls.precision).toBeGreaterThanOrEqual(0);
      expect(cls.recall).toBeLessThanOrEqual(1);
    }
    expect(metrics.samples).toBe(45);
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.9);

    // DVC-style plot data: one {actual, predicted} record per test row, and precision/recall per class.
    const records = JSON.parse(baseline["plots/confusion.json"]!.toString()).test as {
      actual: string;
      predicted: string;
    }[];
    expect(records).toHaveLength(45);
    expect(new Set(records.map((r) => r.actual))).toEqual(new Set(["setosa", "versicolor", "virginica"]));
    const correct = records.filter((r) => r.actual === r.predicted).length;
    expect(correct / 45).toBeCloseTo(metrics.accuracy, 5);
    const perClass = baseline["plots/per_class.csv"]!.toString().trim().split("\n");
    expect(perClass[0]).toBe("class,precision,recall");
    expect(perClass.slice(1).map((l) => l.split(",")[0])).toEqual(["setosa", "versicolor", "virginica"]);
    expect(Number(perClass[1]!.split(",")[1])).toBe(metrics.per_class.setosa.precision);

    const header = baseline["data/prepared/train.csv"]!.toString().split("\n")[0];
    expect(header).toBe("sepal_length,sepal_width,petal_length,petal_width,species");
  });

  it("a weak forest (n_estimators 1, max_depth 1) drops accuracy below the 0.90 gate", async () => {
    const dir = freshCopy();
    setParams(dir, (p) => {
      p.train!.n_estimators = 1;
      p.train!.max_depth = 1;
    });
    const outputs = await runStages(dir);
    expect(outputs["data/prepared/test.csv"]!.equals(baseline["data/prepared/test.csv"]!)).toBe(true);
    expect(outputs["models/iris/model.json"]!.equals(baseline["models/iris/model.json"]!)).toBe(false);
    const weak = JSON.parse(outputs["metrics.json"]!.toString());
    const strong = JSON.parse(baseline["metrics.json"]!.toString());
    expect(weak.accuracy).toBeLessThan(0.9);
    expect(weak.accuracy).toBeLessThan(strong.accuracy);
    expect(weak.f1_macro).toBeLessThan(strong.f1_macro);
  });

  it("a different split seed changes the data split", async () => {
    const dir = freshCopy();
    setParams(dir, (p) => {
      p.prepare!.seed = 7;
    });
    await run(process.execPath, ["src/prepare.mjs"], { cwd: dir });
    const test = readFileSync(join(dir, "data/prepared/test.csv"));
    expect(test.equals(baseline["data/prepared/test.csv"]!)).toBe(false);
    expect(test.toString().trim().split("\n")).toHaveLength(46);
  });

  it("generates stable and drifted live data deterministically, and scores the model on it", async () => {
    const dir = freshCopy();
    await runStages(dir);
    const gen = (variant: string, out: string) =>
      run(process.execPath, ["src/make-live-data.mjs", "--variant", variant, "--seed", "3", "--out", out], {
        cwd: dir,
      });
    await gen("stable", "data/live/a.csv");
    await gen("stable", "data/live/b.csv");
    await gen("drifted", "data/live/latest.csv");
    expect(
      readFileSync(join(dir, "data/live/a.csv")).equals(readFileSync(join(dir, "data/live/b.csv"))),
    ).toBe(true);
    await run(
      process.execPath,
      ["src/score-live.mjs", "--data", "data/live/a.csv", "--out", "live-ok.json"],
      {
        cwd: dir,
      },
    );
    await run(process.execPath, ["src/score-live.mjs"], { cwd: dir });
    const stable = JSON.parse(readFileSync(join(dir, "live-ok.json"), "utf8"));
    const drifted = JSON.parse(readFileSync(join(dir, "data/live/metrics.json"), "utf8"));
    expect(stable.accuracy).toBeGreaterThan(0.85);
    expect(drifted.accuracy).toBeLessThan(stable.accuracy - 0.2);
  });
});
