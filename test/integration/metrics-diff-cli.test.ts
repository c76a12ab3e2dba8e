import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const CONFIG = `params: params.yaml
stages:
  evaluate:
    cmd: node evaluate.js
    deps: [evaluate.js]
    params: [train.depth]
    metrics: [metrics.json, scores.csv]
models:
  iris:
    path: model.json
    metrics: metrics.json
    card: models/iris/README.md
    gates:
      accuracy: { min: 0.9, max_drop: 0.01 }
`;

interface Row {
  file: string;
  key: string;
  old?: unknown;
  new?: unknown;
  delta?: number;
  status: string;
}

describe("metrics and params diff across revisions (real git)", () => {
  let repo: TempRepo;
  const write = (file: string, text: string) => writeFileSync(join(repo.dir, file), text);

  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-metrics-" });
    write("trainyard.yaml", CONFIG);
    write("evaluate.js", "// evaluation script\n");
    write("params.yaml", "train:\n  depth: 3\n  seed: 1\n");
    write("metrics.json", JSON.stringify({ accuracy: 0.9, f1: { macro: 0.8 }, old_metric: 1 }));
    write("scores.csv", "epoch,loss\n1,0.5\n2,0.4\n");
    repo.git(["add", "."]);
    repo.git(["commit", "-q", "-m", "baseline"]);
    repo.git(["tag", "baseline"]);
    write("params.yaml", "train:\n  depth: 5\n  seed: 1\n");
    write("metrics.json", JSON.stringify({ accuracy: 0.95, f1: { macro: 0.82 } }));
    write("scores.csv", "epoch,loss\n1,0.5\n2,0.4\n3,0.3\n");
    repo.git(["commit", "-q", "-am", "deeper trees"]);
    repo.git(["checkout", "-q", "-b", "feature"]);
    write("metrics.json", JSON.stringify({ accuracy: 0.93, f1: { macro: 0.82 }, recall: 0.7 }));
  });
  afterAll(() => repo.cleanup());

  it("diffs two commits: old, new, delta, relative, added and removed", async () => {
    const r = await runCli(["metrics", "diff", "HEAD~1", "HEAD", "--json"], { cwd: repo.dir });
    expect(r.code).toBe(0);
    const { rows, summary } = r.json<{ rows: Row[]; summary: Record<string, number> }>();
    expect(rows.find((x) => x.key === "accuracy")).toMatchObject({
      file: "metrics.json",
      old: 0.9,
      new: 0.95,
      status: "changed",
    });
    expect(rows.find((x) => x.key === "accuracy")?.delta).toBeCloseTo(0.05, 12);
    expect(rows.find((x) => x.key === "f1.macro")).toMatchObject({ old: 0.8, new: 0.82 });
    expect(rows.find((x) => x.key === "old_metric")).toMatchObject({ old: 1, status: "removed" });
    expect(rows.find((x) => x.file === "scores.csv" && x.key === "loss")).toMatchObject({
      old: 0.4,
      new: 0.3,
    });
    expect(rows.find((x) => x.key === "epoch")).toMatchObject({ old: 2, new: 3 });
    expect(summary).toEqual({ added: 0, removed: 1, changed: 4, unchanged: 0 });
  });

  it("diffs HEAD against the working tree by default, and a tag or branch against it", async () => {
    const r = await runCli(["metrics", "diff", "--json"], { cwd: repo.dir });
    const rows = r.json<{ rows: Row[] }>().rows;
    expect(rows.map((x) => [x.key, x.status])).toEqual([
      ["accuracy", "changed"],
      ["recall", "added"],
    ]);
    const fromTag = (await runCli(["metrics", "diff", "baseline", "--json"], { cwd: repo.dir })).json<{
      rows: Row[];
    }>();
    expect(fromTag.rows.find((x) => x.key === "accuracy")).toMatchObject({ old: 0.9, new: 0.93 });
    const fromBranch = (
      await runCli(["metrics", "diff", "main", "workspace", "--all", "--json"], { cwd: repo.dir })
    ).json<{ rows: Row[] }>();
    expect(fromBranch.rows.find((x) => x.key === "f1.macro")?.status).toBe("unchanged");
  });

  it("prints a readable table and the PR report as Markdown", async () => {
    const human = await runCli(["metrics", "diff", "HEAD~1", "HEAD"], { cwd: repo.dir });
    expect(human.stdout).toMatch(/^Path\s+Metric\s+HEAD~1\s+HEAD\s+Change\s+%$/m);
    expect(human.stdout).toMatch(/^metrics\.json\s+accuracy\s+0\.9\s+0\.95\s+\+0\.05\s+\+5\.6%$/m);
    const md = await runCli(["metrics", "diff", "main", "--md"], { cwd: repo.dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("<!-- trainyard:report model=iris -->");
    expect(md.stdout).toContain("### ❌ `iris`: 1 of 2 gates failed");
    expect(md.stdout).toContain("accuracy dropped by 0.02 (0.95 → 0.93); the allowed drop is 0.01");
  });

  it("shows metrics at a revision", async () => {
    const r = await runCli(["metrics", "show", "--rev", "baseline", "--json"], { cwd: repo.dir });
    expect(r.json<{ metrics: Record<string, unknown> }>().metrics["metrics.json"]).toEqual({
      accuracy: 0.9,
      "f1.macro": 0.8,
      old_metric: 1,
    });
  });

  it("diffs params, only the changed ones unless --all", async () => {
    const r = await runCli(["params", "diff", "baseline", "HEAD", "--json"], { cwd: repo.dir });
    expect(r.json<{ rows: Row[] }>().rows).toEqual([
      {
        file: "params.yaml",
        key: "train.depth",
        old: 3,
        new: 5,
        delta: 2,
        relative: 2 / 3,
        status: "changed",
      },
    ]);
    const all = await runCli(["params", "diff", "baseline", "HEAD", "--all", "--json"], { cwd: repo.dir });
    expect(all.json<{ rows: Row[] }>().rows).toHaveLength(2);
    const md = await runCli(["params", "diff", "baseline", "HEAD", "--md"], { cwd: repo.dir });
    expect(md.stdout).toContain("| train.depth | 3 | 5 |");
  });

  it("names the file and position when a metrics file is not valid JSON", async () => {
    write("metrics.json", '{\n  "accuracy": 0.93,\n  "f1": \n}\n');
    const r = await runCli(["metrics", "diff"], { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("trainyard: metrics.json:4:1: invalid JSON: expected a JSON value, found '}'\n");
    const old = await runCli(["metrics", "diff", "HEAD~1", "HEAD"], { cwd: repo.dir });
    expect(old.code).toBe(0);
  });

  it("refuses an unknown revision clearly", async () => {
    const r = await runCli(["metrics", "diff", "no-such-branch"], { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("trainyard: unknown revision 'no-such-branch': expected a branch, tag or commit\n");
  });
});
