/**
 * `trainyard monitor` end to end on the iris example: the real CLI as a process (exit codes 0 / 3
 * / 1, --json, --md), and `runMonitor` in-process for the API the monitor action calls.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MONITOR_EXIT_DRIFT, runMonitor } from "../../src/io/monitor/index.js";
import { copyExample, PROJECT_ROOT } from "../../support/copy-example.js";

const exec = promisify(execFile);
const CLI = join(PROJECT_ROOT, "test/helpers/cli-entry.ts");
// An absolute loader URL, so the CLI also starts from folders outside this checkout.
const TSX = pathToFileURL(join(PROJECT_ROOT, "node_modules/tsx/dist/loader.mjs")).href;
let repo: string;
const temps: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ty-monitor-"));
  temps.push(dir);
  return dir;
}

async function node(cwd: string, ...args: string[]): Promise<void> {
  await exec(process.execPath, args, { cwd });
}

async function trainyard(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["--import", TSX, CLI, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  repo = copyExample("iris", tempDir());
  for (const stage of ["prepare", "train", "evaluate"]) await node(repo, `src/${stage}.mjs`);
  await Promise.all([
    node(
      repo,
      "src/make-live-data.mjs",
      "--variant",
      "stable",
      "--seed",
      "7",
      "--out",
      "data/live/stable.csv",
    ),
    node(
      repo,
      "src/make-live-data.mjs",
      "--variant",
      "drifted",
      "--seed",
      "7",
      "--out",
      "data/live/drifted.csv",
    ),
  ]);
  await Promise.all([
    node(
      repo,
      "src/score-live.mjs",
      "--data",
      "data/live/stable.csv",
      "--out",
      "data/live/stable-metrics.json",
    ),
    node(repo, "src/score-live.mjs", "--data", "data/live/drifted.csv", "--out", "data/live/metrics.json"),
  ]);
});

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe("trainyard monitor (CLI)", () => {
  it("exits 0 on stable live data and reports every feature as JSON", async () => {
    const result = await trainyard(
      repo,
      "monitor",
      "--current",
      "data/live/stable.csv",
      "--metrics",
      "data/live/stable-metrics.json",
      "--json",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(true);
    expect(report.model).toBe("iris");
    expect(report.decision).toEqual({ drifted: false, reasons: [] });
    expect(report.features.map((f: { feature: string }) => f.feature).sort()).toEqual([
      "petal_length",
      "petal_width",
      "sepal_length",
      "sepal_width",
    ]);
    expect(report.quality.evaluation.passed).toBe(true);
  });

  it(`exits ${MONITOR_EXIT_DRIFT} on drifted live data, worst features first, with the failing live gate`, async () => {
    await Promise.all([
      (async () => {
        const result = await trainyard(repo, "monitor", "--current", "data/live/drifted.csv", "--json");
        expect(result.code).toBe(MONITOR_EXIT_DRIFT);
        const report = JSON.parse(result.stdout);
        expect(report.decision.drifted).toBe(true);
        const drifted = report.features.filter((f: { drifted: boolean }) => f.drifted);
        expect(drifted.map((f: { feature: string }) => f.feature)).toEqual(
          expect.arrayContaining(["petal_length", "petal_width"]),
        );
        expect(report.features[0].psi).toBeGreaterThan(1);
        expect(report.features.at(-1).drifted).toBe(false);
        expect(report.decision.reasons.at(-1)).toMatch(
          /^live quality: accuracy [\d.]+ is below the minimum 0\.85$/,
        );
      })(),
      (async () => {
        const result = await trainyard(repo, "monitor", "--current", "data/live/drifted.csv", "--md");
        expect(result.code).toBe(MONITOR_EXIT_DRIFT);
        expect(result.stdout).toMatch(/^## Trainyard monitor: ⚠️ drift or quality threshold crossed/);
        expect(result.stdout).toMatch(/\n\| petal_length \| numeric \| \*\*[\d.]+\*\* \|/);
        expect(result.stdout).toContain("### Live quality (`data/live/metrics.json` vs `metrics.json`)");
      })(),
      (async () => {
        // Human output, run from another folder with -C.
        const result = await trainyard(
          tmpdir(),
          "-C",
          repo,
          "monitor",
          "--current",
          join(repo, "data/live/drifted.csv"),
        );
        expect(result.code).toBe(MONITOR_EXIT_DRIFT);
        expect(result.stdout).toMatch(/✗ petal_length +PSI [\d.]+ {2}KS D [\d.]+ p [\de.-]+/);
        expect(result.stdout).toMatch(/drift: \d+ threshold\(s\) crossed/);
      })(),
    ]);
  });

  it("exits 1 with a precise message on errors", async () => {
    const badConfig = copyExample("iris", tempDir());
    writeFileSync(
      join(badConfig, "trainyard.yaml"),
      "monitor:\n  reference: a.csv\n  current: b.csv\n  psi_maxx: 0.3\n",
    );
    const escaping = copyExample("iris", tempDir());
    writeFileSync(
      join(escaping, "trainyard.yaml"),
      "monitor:\n  reference: ../../etc/passwd\n  current: b.csv\n",
    );
    const badCsv = tempDir();
    writeFileSync(join(badCsv, "ref.csv"), "x,y\n1,2\n3\n");
    writeFileSync(join(badCsv, "cur.csv"), "x,y\n1,2\n");
    const [missing, config, csv, noData, json, outside] = await Promise.all([
      trainyard(repo, "monitor", "--current", "data/live/nope.csv"),
      trainyard(badConfig, "monitor"),
      trainyard(badCsv, "monitor", "--reference", "ref.csv", "--current", "cur.csv"),
      trainyard(badCsv, "monitor"),
      trainyard(badCsv, "monitor", "--reference", "ref.csv", "--current", "cur.csv", "--json"),
      trainyard(escaping, "monitor"),
    ]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(
      /trainyard\.yaml:2:\d+ \(key monitor\.reference\): path "\.\.\/\.\.\/etc\/passwd" escapes the repository/,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/current data file not found: .*data\/live\/nope\.csv/);
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(
      /trainyard\.yaml:4:\d+ \(key monitor\.psi_maxx\): unknown key "psi_maxx"; did you mean "psi_max"\?/,
    );
    expect(csv.code).toBe(1);
    expect(csv.stderr).toMatch(/ref\.csv:3: expected 2 fields like the header, got 1/);
    expect(noData.code).toBe(1);
    expect(noData.stderr).toMatch(
      /set monitor\.reference and monitor\.current .* or pass --reference and --current/,
    );
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: "data" } });
  });
});

describe("runMonitor (the API the monitor action calls)", () => {
  it("compares live metrics with the model's committed metrics for max_drop", async () => {
    const outcome = await runMonitor({
      cwd: repo,
      current: "data/live/stable.csv",
      metrics: "data/live/stable-metrics.json",
      config: {
        params: "params.yaml",
        stages: {},
        metrics: [],
        plots: [],
        store: { default: "local", remotes: {} },
        models: {
          iris: {
            type: "model",
            path: "models/iris/model.json",
            metrics: "metrics.json",
            gates: {},
            metrics_provenance: "auto",
            stages: ["dev", "staging", "production"],
            bump: "minor",
            release: false,
            approvers: [],
            allow_self_approval: false,
          },
        },
        monitor: {
          reference: "data/prepared/train.csv",
          current: "data/live/latest.csv",
          psi_max: 0.2,
          ks_pvalue_min: 0.01,
          bins: 10,
          model: "iris",
          gates: { accuracy: { max_drop: 0.01 } },
        },
      },
    });
    expect(outcome.model).toBe("iris");
    const [gate] = outcome.report.quality!.evaluation.results;
    expect(gate).toMatchObject({ metric: "accuracy", kind: "max_drop", status: "fail" });
    expect(outcome.report.quality!.baseline).toBe("metrics.json");
    expect(outcome.report.decision.reasons).toEqual([`live quality: ${gate!.explanation}`]);
    expect(outcome.markdown).toContain("| accuracy | max_drop 0.01 |");
  });
});
