import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/core/config/validate.js";
import { parseYamlWithPositions } from "../../src/core/yaml-document.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

describe("trainyard init", () => {
  it("refuses a folder outside git unless --no-git, and writes nothing when it refuses", async () => {
    const plain = makeTempRepo({ git: false });
    try {
      const refused = await runCli(["init"], { cwd: plain.dir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("is not inside a git repository");
      expect(refused.stderr).toContain("--no-git");
      expect(existsSync(join(plain.dir, "trainyard.yaml"))).toBe(false);
      const forced = await runCli(["init", "--no-git"], { cwd: plain.dir });
      expect(forced.code).toBe(0);
      expect(existsSync(join(plain.dir, "trainyard.yaml"))).toBe(true);
    } finally {
      plain.cleanup();
    }
  });

  it("writes a starter with the $schema line whose commented examples are a valid config", async () => {
    const repo = makeTempRepo();
    try {
      expect((await runCli(["init"], { cwd: repo.dir })).code).toBe(0);
      const text = readFileSync(join(repo.dir, "trainyard.yaml"), "utf8");
      expect(text.split("\n")[0]).toBe(
        "# yaml-language-server: $schema=node_modules/trainyard/schema/trainyard.schema.json",
      );
      // Uncomment every example line (keeping the header comments) and validate the result.
      const uncommented = text
        .replace("stages: {}", "stages:")
        .split("\n")
        .map((line) =>
          /^# ?[ a-z]/.test(line) && !/^# (yaml-language-server|Reference)/.test(line)
            ? line.replace(/^# ?/, "")
            : line,
        )
        .join("\n")
        .replace(/^params: params.yaml.*$/m, "params: params.yaml");
      const doc = parseYamlWithPositions(uncommented, "trainyard.yaml", "config");
      const params = { file: "params.yaml", value: { prepare: { seed: 1 } } };
      const { value, errors } = validateConfig(doc, { params });
      expect(errors.map(String)).toEqual([]);
      expect(Object.keys(value?.stages ?? {})).toEqual(["prepare", "train@iris", "train@wine"]);
      expect(Object.keys(value?.models ?? {})).toEqual(["iris"]);
    } finally {
      repo.cleanup();
    }
  });
});

describe("trainyard status and dag on a real repository", () => {
  let repo: TempRepo;
  const write = (path: string, text: string) => {
    mkdirSync(join(repo.dir, path, ".."), { recursive: true });
    writeFileSync(join(repo.dir, path), text);
  };
  const config = (trainDeps: string) =>
    `stages:\n  prepare:\n    cmd: node src/prepare.js\n    deps: [src/prepare.js]\n    outs: [data/prepared.txt]\n  train:\n    cmd: node src/train.js\n    deps: [${trainDeps}]\n    outs: [model.txt]\n  report:\n    cmd: node -e "require('fs').writeFileSync('report.txt','ok')"\n    deps: [data/prepared.txt]\n    outs: [report.txt]\n`;
  beforeAll(async () => {
    repo = makeTempRepo();
    expect((await runCli(["init"], { cwd: repo.dir })).code).toBe(0);
    write(
      "src/prepare.js",
      "require('fs').mkdirSync('data',{recursive:true});require('fs').writeFileSync('data/prepared.txt','p')\n",
    );
    write("src/train.js", "require('fs').writeFileSync('model.txt','m')\n");
    write("trainyard.yaml", config("src/train.js, data/prepared.txt"));
    const run = await runCli(["run", "--json"], { cwd: repo.dir });
    expect(run.code, run.stdout).toBe(0);
  });
  afterAll(() => repo.cleanup());

  it("status --fail-if-stale exits 0 when every stage is up to date", async () => {
    const status = await runCli(["status", "--fail-if-stale"], { cwd: repo.dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("every stage is up to date");
  });

  it("a new dep that does not exist yet is one line, and --fail-if-stale exits 2", async () => {
    write("trainyard.yaml", config("src/train.js, data/prepared.txt, src/utils.py"));
    const status = await runCli(["status", "--fail-if-stale"], { cwd: repo.dir });
    expect(status.code).toBe(2);
    const mentions = status.stdout.split("\n").filter((l) => l.includes("src/utils.py"));
    expect(mentions).toEqual(["    dep src/utils.py is missing"]);
    // Without the flag status still reports and exits 0 (the old contract).
    expect((await runCli(["status"], { cwd: repo.dir })).code).toBe(0);
    write("src/utils.py", "x = 1\n");
    const added = await runCli(["status", "--fail-if-stale"], { cwd: repo.dir });
    expect(added.code).toBe(2);
    expect(added.stdout.split("\n").filter((l) => l.includes("src/utils.py"))).toEqual([
      "    dep src/utils.py added",
    ]);
  });

  it("dag prints the graph as an ASCII outline and as Mermaid", async () => {
    const ascii = await runCli(["dag"], { cwd: repo.dir });
    expect(ascii.code).toBe(0);
    expect(ascii.stdout.trim().split("\n")).toEqual([
      "Level 1",
      "└─ prepare",
      "Level 2",
      "├─ train  ◀ prepare",
      "└─ report  ◀ prepare",
    ]);
    const mermaid = await runCli(["dag", "--mermaid"], { cwd: repo.dir });
    expect(mermaid.stdout.trim().split("\n")).toEqual([
      "flowchart TD",
      '  s0["prepare"]',
      '  s1["train"]',
      '  s2["report"]',
      "  s0 --> s1",
      "  s0 --> s2",
    ]);
  });

  it("a frozen stage is not re-run below a changed stage; an always_changed one runs every time", async () => {
    const frozen = config("src/train.js, data/prepared.txt").replace(
      "    outs: [report.txt]\n",
      "    outs: [report.txt]\n    frozen: true\n  clock:\n    cmd: node -e \"require('fs').appendFileSync('ticks.txt','t')\"\n    always_changed: true\n    metrics: [ticks.txt]\n",
    );
    write("trainyard.yaml", frozen);
    // prepare now writes different data, so train (and report, were it not frozen) sees a changed dep.
    write("src/prepare.js", readFileSync(join(repo.dir, "src/prepare.js"), "utf8").replace("'p'", "'p2'"));
    const plan = (await runCli(["plan", "--json"], { cwd: repo.dir })).json<{ stages: string[] }>();
    expect(plan.stages.sort()).toEqual(["clock", "prepare", "train"]);
    const first = (await runCli(["run", "--json"], { cwd: repo.dir })).json<{
      stages: { stage: string; action: string }[];
    }>();
    expect(Object.fromEntries(first.stages.map((s) => [s.stage, s.action]))).toEqual({
      prepare: "ran",
      train: "ran",
      report: "up-to-date",
      clock: "ran",
    });
    const second = (await runCli(["run", "--json"], { cwd: repo.dir })).json<{
      stages: { stage: string; action: string }[];
    }>();
    expect(second.stages.filter((s) => s.action !== "up-to-date").map((s) => [s.stage, s.action])).toEqual([
      ["clock", "ran"],
    ]);
    expect(readFileSync(join(repo.dir, "ticks.txt"), "utf8")).toBe("t");
  });
});
