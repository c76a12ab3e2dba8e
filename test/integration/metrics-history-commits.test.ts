import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const CONFIG = `stages:
  evaluate:
    cmd: node evaluate.js
    deps: [evaluate.js]
    metrics: [metrics.json]
models:
  iris:
    path: model.json
    metrics: metrics.json
`;

/** The stage writes the accuracy it is given in acc.txt: a real run hashes metrics.json into the store. */
const EVALUATE = `const fs = require("node:fs");
fs.writeFileSync("metrics.json", JSON.stringify({ accuracy: Number(fs.readFileSync("acc.txt", "utf8")), loss: 0.1 }));
`;

interface HistoryJson {
  metrics: { title: string }[];
  commits: {
    sha: string;
    subject: string;
    branches?: string[];
    values: Record<string, number | null>;
    unavailable?: string[];
  }[];
}

describe("metrics history across git commits and branches (real git, real runs)", () => {
  let repo: TempRepo;
  const write = (file: string, text: string) => writeFileSync(join(repo.dir, file), text);
  const commit = (message: string) => {
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", message]);
    return repo.git(["rev-parse", "HEAD"]).trim();
  };
  const shas: Record<string, string> = {};

  beforeAll(async () => {
    repo = makeTempRepo({ prefix: "trainyard-history-" });
    write("trainyard.yaml", CONFIG);
    write("evaluate.js", EVALUATE);
    write("metrics.json", JSON.stringify({ accuracy: 0.8, loss: 0.3 }));
    shas.first = commit("first model");
    write("metrics.json", JSON.stringify({ accuracy: 0.85, loss: 0.25 }));
    shas.second = commit("=HYPERLINK(\"http://evil\") more trees, 'quoted'");
    repo.git(["checkout", "-q", "-b", "feature"]);
    write("metrics.json", JSON.stringify({ accuracy: 0.9, loss: 0.2, recall: 0.7 }));
    shas.feature = commit("feature: recall");
    repo.git(["checkout", "-q", "main"]);
    // A real run; metrics.json is then left out of git: only the lock (with its hash) is committed.
    write("acc.txt", "0.87");
    const run = await runCli(["run"], { cwd: repo.dir });
    expect(run.code, run.stderr).toBe(0);
    repo.git(["rm", "-q", "--cached", "metrics.json"]);
    write(".gitignore", "metrics.json\n.trainyard/\n");
    shas.stored = commit("metrics only in the store");
  }, 60_000);
  afterAll(() => repo.cleanup());

  it("--branch walks one branch's commits newest first, reading each commit's tree", async () => {
    const r = await runCli(["metrics", "history", "--branch", "feature", "--json"], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<HistoryJson>();
    expect(out.commits.map((c) => c.sha)).toEqual([shas.feature, shas.second, shas.first]);
    expect(out.commits.map((c) => c.values.accuracy)).toEqual([0.9, 0.85, 0.8]);
    expect(out.commits.map((c) => c.values.recall)).toEqual([0.7, null, null]);
    expect(out.commits[0]?.branches).toEqual(["feature"]);
  });

  it("--rev A..B walks a range; the out-of-git metrics come from the local store by the lock's hash", async () => {
    const r = await runCli(["metrics", "history", "--rev", `${shas.first}..main`, "--json"], {
      cwd: repo.dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<HistoryJson>();
    expect(out.commits.map((c) => c.sha)).toEqual([shas.stored, shas.second]);
    expect(out.commits[0]?.values.accuracy).toBe(0.87);
    expect(repo.git(["ls-tree", "--name-only", "HEAD"])).not.toContain("metrics.json");
  });

  it("--all-commits covers both branches; --csv quotes and defuses commit subjects", async () => {
    const all = await runCli(["metrics", "history", "--all-commits", "--json"], { cwd: repo.dir });
    expect(
      all
        .json<HistoryJson>()
        .commits.map((c) => c.sha)
        .sort(),
    ).toEqual(Object.values(shas).sort());
    const csv = await runCli(["metrics", "history", "--all-commits", "--csv", "--metric", "accuracy"], {
      cwd: repo.dir,
    });
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split("\r\n");
    expect(lines[0]).toBe("commit,date,branches,subject,accuracy");
    expect(lines).toHaveLength(5);
    const evil = lines.find((l) => l.startsWith(shas.second ?? "?"));
    expect(evil).toContain(`,"'=HYPERLINK(""http://evil"") more trees, 'quoted'",0.85`);
  });

  it("a clone without the store says the stored metrics are unavailable instead of inventing them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trainyard-history-clone-"));
    try {
      execFileSync("git", ["clone", "-q", repo.dir, dir]);
      const r = await runCli(["metrics", "history", "--rev", "-2", "--json"], { cwd: dir });
      expect(r.code).not.toBe(0);
      const ok = await runCli(["metrics", "history", "--branch", "main", "--json"], { cwd: dir });
      const newest = ok.json<HistoryJson>().commits[0];
      expect(newest?.sha).toBe(shas.stored);
      expect(newest?.unavailable).toEqual(["metrics.json"]);
      expect(newest?.values.accuracy).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("metrics show --all-branches shows every branch tip side by side", async () => {
    const r = await runCli(["metrics", "show", "--all-branches", "--json"], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<{
      branches: { branch: string; sha: string; metrics: Record<string, Record<string, number>> }[];
    }>();
    expect(out.branches.map((b) => [b.branch, b.sha])).toEqual([
      ["feature", shas.feature],
      ["main", shas.stored],
    ]);
    expect(out.branches[0]?.metrics["metrics.json"]?.recall).toBe(0.7);
    expect(out.branches[1]?.metrics["metrics.json"]?.accuracy).toBe(0.87);
    const human = await runCli(["metrics", "show", "--all-branches"], { cwd: repo.dir });
    expect(human.stdout).toMatch(/Metric\s+feature\s+main/);
    expect(human.stdout).toMatch(/accuracy\s+0\.9\s+0\.87/);
  });
});
