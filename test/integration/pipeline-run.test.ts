import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePipelineRepo, type PipelineRepo } from "../helpers/pipeline-fixture.js";
import { runCli } from "../helpers/temp-repo.js";

interface RunJson {
  ok: boolean;
  stages: { stage: string; action: string; reasons: string[]; error?: string }[];
}
const byAction = (json: RunJson, action: string) =>
  json.stages
    .filter((s) => s.action === action)
    .map((s) => s.stage)
    .sort();

describe("trainyard run on a real repository", () => {
  let repo: PipelineRepo;
  const run = async (...args: string[]) => {
    const r = await runCli(["run", "--json", ...args], { cwd: repo.dir });
    return { ...r, result: r.json<RunJson>() };
  };
  beforeAll(async () => {
    repo = await makePipelineRepo();
  });
  afterAll(() => repo.cleanup());

  it("first run executes every stage, prefixes output, caches outs and git-ignores only outs", async () => {
    const human = await runCli(["run", "--jobs", "2"], { cwd: repo.dir });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("[prepare] prepared 4 rows");
    expect(human.stdout).toContain("[train] trained weight 2");
    expect(human.stdout).toMatch(/4 ran, 0 restored, 0 up to date/);
    expect(repo.takeRuns().sort()).toEqual(["audit", "evaluate", "prepare", "train"]);
    // The stage saw its name and the repo root in its environment.
    expect(JSON.parse(repo.read("data/prepared/parts/meta.json")).root).toBe(repo.dir);
    const ignored = repo.git(["status", "--porcelain", "--ignored"]);
    expect(ignored).toMatch(/!! data\/prepared\//);
    expect(ignored).toMatch(/!! models\/model\.json/);
    expect(ignored).toMatch(/!! reports\/audit\.txt/);
    expect(ignored).toMatch(/\?\? metrics\.json/);
    expect(ignored).toMatch(/\?\? plots\//);
    expect(ignored).toMatch(/\?\? trainyard\.lock/);
    const lock = repo.read("trainyard.lock");
    expect(lock).toMatch(/ {2}train:\n {4}cmd: node src\/train\.js\n {4}fingerprint: sha256:/);
    expect(lock).toMatch(
      /- path: data\/prepared\n {8}hash: sha256:[0-9a-f]{64}\n {8}size: \d+\n {8}files: 2/,
    );
    const status = (await runCli(["status", "--json"], { cwd: repo.dir })).json<{
      clean: boolean;
      stages: unknown[];
    }>();
    expect(status.stages).toEqual(
      ["prepare", "train", "evaluate", "audit"].map((stage) => ({ stage, state: "up-to-date", reasons: [] })),
    );
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "first run"]);
  });

  it("a second run with nothing changed runs nothing", async () => {
    const started = performance.now();
    const { code, result } = await run();
    const ms = performance.now() - started;
    console.log(`no-op trainyard run on the fixture pipeline: ${ms.toFixed(0)} ms`);
    expect(code).toBe(0);
    expect(byAction(result, "up-to-date")).toEqual(["audit", "evaluate", "prepare", "train"]);
    expect(repo.takeRuns()).toEqual([]);
  });

  it("editing only evaluate's script re-runs only evaluate", async () => {
    repo.write("src/evaluate.js", `${repo.read("src/evaluate.js")}// a comment\n`);
    const status = (await runCli(["status", "--json"], { cwd: repo.dir })).json<{
      stages: { stage: string; state: string; reasons: string[] }[];
    }>();
    expect(status.stages.find((s) => s.stage === "evaluate")).toEqual({
      stage: "evaluate",
      state: "stale",
      reasons: ["dep src/evaluate.js changed"],
    });
    const { result } = await run();
    expect(byAction(result, "ran")).toEqual(["evaluate"]);
    expect(repo.takeRuns()).toEqual(["evaluate"]);
  });

  it("changing a param re-runs exactly the stages that use it (and what depends on their outs)", async () => {
    repo.setParam("audit", "level", 2);
    expect(byAction((await run()).result, "ran")).toEqual(["audit"]);
    expect(repo.takeRuns()).toEqual(["audit"]);

    repo.setParam("train", "lr", 0.5);
    const plan = (await runCli(["plan", "--json"], { cwd: repo.dir })).json<{
      levels: { stage: string; reasons: string[] }[][];
    }>();
    expect(plan.levels.map((l) => l.map((s) => s.stage))).toEqual([["train", "audit"], ["evaluate"]]);
    expect(plan.levels[0]![0]!.reasons).toEqual(["param train.lr: 0.1 → 0.5"]);
    expect(plan.levels[1]![0]!.reasons).toEqual(["upstream stage train will re-run"]);
    const { result } = await run();
    expect(byAction(result, "ran")).toEqual(["audit", "evaluate", "train"]);
    expect(byAction(result, "up-to-date")).toEqual(["prepare"]);
    expect(repo.takeRuns().sort()).toEqual(["audit", "evaluate", "train"]);
  });

  it("reverting a change restores outs from the run cache without executing any command", async () => {
    const metricsAtLr05 = repo.read("metrics.json");
    repo.setParam("train", "lr", 0.1);
    repo.setParam("audit", "level", 1);
    repo.write("src/evaluate.js", repo.read("src/evaluate.js").replace("// a comment\n", ""));
    repo.write("FAIL_ALL", "any stage that executes now fails\n");
    try {
      const { code, result } = await run();
      expect(code).toBe(0);
      expect(byAction(result, "restored")).toEqual(["audit", "evaluate", "train"]);
      expect(repo.takeRuns()).toEqual([]);
      expect(repo.read("metrics.json")).not.toBe(metricsAtLr05);
      // Back to exactly the committed state of the first run: lock, metrics and plots included.
      expect(repo.git(["status", "--porcelain"])).toBe("");
      expect(JSON.parse(repo.read("models/model.json"))).toEqual({ weight: 2 });
      expect(repo.read("data/prepared/train.csv")).toBe("2\n4\n6\n8");
    } finally {
      rmSync(join(repo.dir, "FAIL_ALL"));
    }
  });

  it("a deleted folder out comes back from the run cache, byte for byte, without running", async () => {
    const before = repo.read("data/prepared/parts/meta.json");
    rmSync(join(repo.dir, "data/prepared"), { recursive: true });
    const status = (await runCli(["status", "--json"], { cwd: repo.dir })).json<{
      stages: { stage: string; reasons: string[] }[];
    }>();
    expect(status.stages.find((s) => s.stage === "prepare")!.reasons).toEqual([
      "out data/prepared is missing",
    ]);
    repo.write("FAIL_ALL", "");
    try {
      const { result } = await run();
      expect(byAction(result, "restored")).toEqual(["prepare"]);
      expect(byAction(result, "up-to-date")).toEqual(["audit", "evaluate", "train"]);
    } finally {
      rmSync(join(repo.dir, "FAIL_ALL"));
    }
    expect(repo.takeRuns()).toEqual([]);
    expect(repo.read("data/prepared/parts/meta.json")).toBe(before);
    expect(repo.git(["status", "--porcelain"])).toBe("");
  });

  it("--force re-runs even when up to date and in the run cache", async () => {
    const { result } = await run("--force", "train");
    expect(byAction(result, "ran")).toEqual(["prepare", "train"]);
    expect(repo.takeRuns()).toEqual(["prepare", "train"]);
  });

  it("a failing stage: dependents not started, siblings finish, lock and store unchanged; a re-run after the fix works", async () => {
    const lockBefore = repo.read("trainyard.lock");
    repo.write("src/train.js", `${repo.read("src/train.js")}// v2\n`);
    repo.write("src/audit.js", `${repo.read("src/audit.js")}// v2\n`);
    repo.write("FAIL_train", "");
    const { code, result } = await run().finally(() => rmSync(join(repo.dir, "FAIL_train")));
    expect(code).toBe(1);
    const train = result.stages.find((s) => s.stage === "train")!;
    expect(train.action).toBe("failed");
    expect(train.error).toMatch(
      /command exited with code 1; its outs were not cached and trainyard\.lock keeps its previous entry/,
    );
    expect(result.stages.find((s) => s.stage === "evaluate")).toMatchObject({
      action: "not-started",
      reasons: ["upstream stage train failed"],
    });
    expect(byAction(result, "ran")).toEqual(["audit"]);
    expect(repo.takeRuns()).toEqual(["audit"]);
    // Only audit's entry changed in the lock; train and evaluate kept theirs.
    const lockAfter = repo.read("trainyard.lock");
    const section = (text: string, stage: string) => text.split(`  ${stage}:\n`)[1]!.split(/\n {2}\w+:\n/)[0];
    expect(section(lockAfter, "train")).toBe(section(lockBefore, "train"));
    expect(section(lockAfter, "evaluate")).toBe(section(lockBefore, "evaluate"));
    expect(section(lockAfter, "audit")).not.toBe(section(lockBefore, "audit"));
    expect(existsSync(join(repo.dir, "models/model.json"))).toBe(false);
    const human = await runCli(["status"], { cwd: repo.dir });
    expect(human.stdout).toMatch(
      /stale {6}train\n {4}dep src\/train\.js changed\n {4}out models\/model\.json is missing/,
    );

    const fixed = await run();
    expect(fixed.code).toBe(0);
    // train's new script writes the same model, so evaluate (whose deps did not change) stays put.
    expect(byAction(fixed.result, "ran")).toEqual(["train"]);
    expect(byAction(fixed.result, "up-to-date")).toEqual(["audit", "evaluate", "prepare"]);
    expect(repo.takeRuns()).toEqual(["train"]);
    expect((await run()).result.stages.every((s) => s.action === "up-to-date")).toBe(true);
  });
});
