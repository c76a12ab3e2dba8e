/**
 * DVC's layouts on a real repository: dvclive's metrics inside a cached out folder (read from the
 * store at an older commit and diffed in the PR report), top-level metrics, several params files,
 * `cache: false` and `persist: true` outs, and `wdir` with DVC's path semantics.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

interface Row {
  file: string;
  key: string;
  old?: unknown;
  new?: unknown;
  status: string;
}

const EVALUATE = `const fs = require("node:fs");
const k = Number(/k: (\\d+)/.exec(fs.readFileSync("params.yaml", "utf8"))[1]);
fs.mkdirSync("eval/plots", { recursive: true });
fs.writeFileSync("eval/metrics.json", JSON.stringify({ accuracy: k / 10, k }));
fs.writeFileSync("eval/plots/loss.csv", "step,loss\\n" + [1, 2, 3].map((s) => s + "," + (1 / (s * k))).join("\\n") + "\\n");
`;

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

describe("dvclive layout: metrics inside a cached out folder", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-dvclive-" });
    writeFiles(repo.dir, {
      "trainyard.yaml": `stages:
  evaluate:
    cmd: node evaluate.js
    deps: [evaluate.js]
    params: [eval.k]
    outs: [eval]
metrics: [eval/metrics.json]
plots:
  - eval/plots/loss.csv:
      x: step
      y: loss
models:
  clf:
    path: eval
    metrics: eval/metrics.json
    gates:
      accuracy: { min: 0.1 }
`,
      "evaluate.js": EVALUATE,
      "params.yaml": "eval:\n  k: 3\n",
    });
  });
  afterAll(() => repo.cleanup());

  it("runs, caches the folder with its metrics and keeps them out of git", async () => {
    const run = await runCli(["run"], { cwd: repo.dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lock = readFileSync(join(repo.dir, "trainyard.lock"), "utf8");
    // The top-level metric is attached to the stage whose out holds it: the lock records its hash.
    expect(lock).toMatch(/metrics:\n {6}- path: eval\/metrics\.json\n {8}hash: sha256:/);
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "k=3"]);
    expect(repo.git(["ls-files"]).split("\n")).not.toContain("eval/metrics.json");
    expect(repo.git(["check-ignore", "eval/metrics.json"]).trim()).toBe("eval/metrics.json");
    writeFileSync(join(repo.dir, "params.yaml"), "eval:\n  k: 5\n");
    expect((await runCli(["run"], { cwd: repo.dir })).code).toBe(0);
    repo.git(["commit", "-q", "-am", "k=5"]);
  });

  it("diffs the metric between two commits, reading the older one from the store", async () => {
    const r = await runCli(["metrics", "diff", "HEAD~1", "HEAD", "--json"], { cwd: repo.dir });
    expect(r.stderr).toBe("");
    const rows = r.json<{ rows: Row[] }>().rows;
    expect(rows.find((x) => x.key === "accuracy")).toMatchObject({
      file: "eval/metrics.json",
      old: 0.3,
      new: 0.5,
      status: "changed",
    });
  });

  it("shows the metric and the plot in the PR report (metrics diff --md)", async () => {
    const r = await runCli(["metrics", "diff", "HEAD~1", "HEAD", "--md"], { cwd: repo.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accuracy.*0\.3.*0\.5/);
    expect(r.stdout).toContain("loss.csv");
  });

  it("says where to get a metric whose object is not in the local store", async () => {
    const store = join(repo.dir, ".trainyard", "store");
    const moved = join(repo.dir, "..", `${repo.dir.split("/").pop()}-store`);
    renameSync(store, moved);
    try {
      const r = await runCli(["metrics", "diff", "HEAD~1", "HEAD"], { cwd: repo.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/eval\/metrics\.json at [0-9a-f]{12} is inside a cached out .*trainyard pull/);
    } finally {
      renameSync(moved, store);
    }
  });

  it("still refuses a metric inside another stage's out", async () => {
    const other = makeTempRepo({ prefix: "trainyard-dvclive-bad-" });
    try {
      writeFiles(other.dir, {
        "trainyard.yaml": `stages:
  a:
    cmd: echo a
    outs: [eval]
  b:
    cmd: echo b
    metrics: [eval/metrics.json]
`,
      });
      const r = await runCli(["status"], { cwd: other.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /trainyard\.yaml:7:\d+.*out "eval\/metrics\.json" is inside "eval".*may not be nested/,
      );
    } finally {
      other.cleanup();
    }
  });
});

describe("several params files, cache: false, persist: true and wdir (DVC semantics)", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-dvc-outs-" });
    writeFiles(repo.dir, {
      "trainyard.yaml": `stages:
  train:
    wdir: src
    cmd: node train.js
    deps: [train.js, ../data/raw.txt]
    params:
      - train.lr
      - tuning.yaml: [depth]
    outs:
      - ../models/model.txt
      - ../reports/summary.txt:
          cache: false
      - ../state/history.txt:
          persist: true
`,
      "params.yaml": "train:\n  lr: 0.1\n",
      "src/tuning.yaml": "depth: 4\nunused: 1\n",
      "data/raw.txt": "rows\n",
      "src/train.js": `const fs = require("node:fs");
const depth = /depth: (\\d+)/.exec(fs.readFileSync("tuning.yaml", "utf8"))[1];
fs.mkdirSync("../models", { recursive: true });
fs.mkdirSync("../reports", { recursive: true });
fs.mkdirSync("../state", { recursive: true });
fs.writeFileSync("../models/model.txt", "depth " + depth + "\\n");
fs.writeFileSync("../reports/summary.txt", "trained at depth " + depth + "\\n");
fs.appendFileSync("../state/history.txt", "run depth " + depth + "\\n");
`,
    });
  });
  afterAll(() => repo.cleanup());

  it("runs in wdir with deps and outs relative to it; cache:false is committed, cached outs are ignored", async () => {
    const r = await runCli(["run", "--json"], { cwd: repo.dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(join(repo.dir, "models/model.txt"), "utf8")).toBe("depth 4\n");
    const lock = readFileSync(join(repo.dir, "trainyard.lock"), "utf8");
    expect(lock).toContain("- path: data/raw.txt");
    expect(lock).toContain("src/tuning.yaml:depth: 4");
    expect(lock).not.toContain("unused");
    expect(lock).toMatch(
      /- path: reports\/summary\.txt\n {8}hash: sha256:[0-9a-f]{64}\n {8}size: \d+\n {8}cache: false/,
    );
    const porcelain = repo.git(["status", "--porcelain", "--ignored"]);
    expect(porcelain).toMatch(/!! models\//);
    expect(porcelain).toMatch(/\?\? reports\//);
  });

  it("keeps a persist: true out between runs and reruns on a change in the other params file", async () => {
    writeFileSync(join(repo.dir, "src/tuning.yaml"), "depth: 6\nunused: 1\n");
    const status = await runCli(["status", "--json"], { cwd: repo.dir });
    expect(JSON.stringify(status.json())).toContain("src/tuning.yaml:depth");
    expect((await runCli(["run"], { cwd: repo.dir })).code).toBe(0);
    expect(readFileSync(join(repo.dir, "state/history.txt"), "utf8")).toBe("run depth 4\nrun depth 6\n");
    // The cache:false out is hashed but never stored: the store holds no object for it.
    const lock = readFileSync(join(repo.dir, "trainyard.lock"), "utf8");
    const hash = /- path: reports\/summary\.txt\n {8}hash: sha256:([0-9a-f]{64})/.exec(lock)?.[1] ?? "";
    expect(
      existsSync(join(repo.dir, ".trainyard/store/objects/sha256", hash.slice(0, 2), hash.slice(2))),
    ).toBe(false);
    // An unused key of the other file changes nothing.
    writeFileSync(join(repo.dir, "src/tuning.yaml"), "depth: 6\nunused: 2\n");
    const again = await runCli(["status", "--json"], { cwd: repo.dir });
    expect(JSON.stringify(again.json())).toContain("up-to-date");
    expect(JSON.stringify(again.json())).not.toContain("unused");
  });

  it("reports a missing key of the other params file with its position", async () => {
    writeFileSync(join(repo.dir, "src/tuning.yaml"), "depht: 6\n");
    const r = await runCli(["status"], { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /trainyard\.yaml:8:\d+.*param "depth" is not defined in src\/tuning\.yaml; did you mean "depht"\?/,
    );
  });
});
