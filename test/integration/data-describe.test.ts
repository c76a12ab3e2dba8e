import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const CONFIG = `stages:
  train:
    cmd: node train.js
    deps: [train.js, data/train.csv, data/events.jsonl]
    metrics: [metrics.json]
models:
  iris:
    path: model.json
    metrics: metrics.json
`;

const TRAIN = `const fs = require("node:fs");
const rows = fs.readFileSync("data/train.csv", "utf8").trim().split("\\n").length - 1;
fs.writeFileSync("metrics.json", JSON.stringify({ accuracy: 0.8 + rows / 100 }));
`;

// The last column's name tries to break out of its table cell and into HTML.
const EVIL = "note|</summary><img src=x onerror=alert(1)>";
const CSV_BASE = `sepal,species,"${EVIL.replace(/"/g, '""')}"\n5.1,setosa,a\n4.9,setosa,b\n6.3,virginica,\n`;
const CSV_HEAD = `sepal,species,petal\n5.1,setosa,1.4\n4.9,setosa,1.3\n6.3,virginica,6.0\n7.0,versicolor,4.7\n`;

interface Described {
  rows: number;
  format: string;
  oid: string;
  columns: {
    name: string;
    type: string;
    count: number;
    nulls: number;
    mean?: number;
    min?: number;
    max?: number;
    top?: { value: string; count: number }[];
  }[];
}

describe("data describe and the data section of the PR report (real git, real runs, the local store)", () => {
  let repo: TempRepo;
  const write = (file: string, text: string) => writeFileSync(join(repo.dir, file), text);

  beforeAll(async () => {
    repo = makeTempRepo({ prefix: "trainyard-data-describe-" });
    mkdirSync(join(repo.dir, "data"));
    write("trainyard.yaml", CONFIG);
    write("train.js", TRAIN);
    write("data/train.csv", CSV_BASE);
    write("data/events.jsonl", '{"user":"a","ms":12}\n{"user":"b","ms":null}\n');
    write("data/scores.tsv", "model\tscore\tok\nrf\t0.9\ttrue\nlr\t\tfalse\nrf\t0.7\ttrue\n");
    // events.jsonl lives in the store (a .ty pointer in git), train.csv in git.
    expect((await runCli(["add", "data/events.jsonl"], { cwd: repo.dir })).code).toBe(0);
    expect((await runCli(["run"], { cwd: repo.dir })).code).toBe(0);
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "base data"]);
    write("data/train.csv", CSV_HEAD);
    write("data/events.jsonl", '{"user":"a","ms":12}\n{"user":"b","ms":"slow"}\n{"user":"c","ms":3}\n');
    expect((await runCli(["add", "data/events.jsonl"], { cwd: repo.dir })).code).toBe(0);
    expect((await runCli(["run"], { cwd: repo.dir })).code).toBe(0);
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "more rows, a new column"]);
  }, 90_000);
  afterAll(() => repo.cleanup());

  it("describes CSV, TSV and JSON Lines: rows, types, counts, nulls, mean/min/max, top values", async () => {
    const csv = (
      await runCli(["data", "describe", "data/train.csv", "--json"], { cwd: repo.dir })
    ).json<Described>();
    expect(csv.rows).toBe(4);
    expect(csv.columns.find((c) => c.name === "sepal")).toMatchObject({
      type: "number",
      count: 4,
      nulls: 0,
      min: 4.9,
      max: 7,
    });
    expect(csv.columns.find((c) => c.name === "sepal")?.mean).toBeCloseTo(5.825, 10);
    expect(csv.columns.find((c) => c.name === "species")?.top?.[0]).toEqual({ value: "setosa", count: 2 });
    const tsv = (
      await runCli(["data", "describe", "data/scores.tsv", "--json"], { cwd: repo.dir })
    ).json<Described>();
    expect(tsv.columns.map((c) => [c.name, c.type, c.count, c.nulls])).toEqual([
      ["model", "string", 3, 0],
      ["score", "number", 2, 1],
      ["ok", "boolean", 3, 0],
    ]);
    const jsonl = (
      await runCli(["data", "describe", "data/events.jsonl", "--rev", "HEAD~1", "--json"], { cwd: repo.dir })
    ).json<Described>();
    expect(jsonl.columns.map((c) => [c.name, c.type, c.count, c.nulls])).toEqual([
      ["user", "string", 2, 0],
      ["ms", "integer", 1, 1],
    ]);
    const human = await runCli(["data", "describe", "data/train.csv"], { cwd: repo.dir });
    expect(human.stdout).toMatch(/data\/train\.csv \(csv\): 4 rows, 3 columns/);
  });

  it("describes Parquet (hyparquet, pure JavaScript): 64-bit integers, nulls, strings", async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: "id", data: [1n, 2n, 3n, null], type: "INT64" },
        { name: "label", data: ["cat", "dog", "cat", "cat"], type: "STRING" },
        { name: "score", data: [0.5, 0.25, null, 1], type: "DOUBLE" },
      ],
    });
    writeFileSync(join(repo.dir, "data/table.parquet"), new Uint8Array(bytes));
    const r = await runCli(["data", "describe", "data/table.parquet", "--json"], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<Described>();
    expect(out.format).toBe("parquet");
    expect(out.rows).toBe(4);
    expect(out.columns.map((c) => [c.name, c.type, c.count, c.nulls])).toEqual([
      ["id", "integer", 3, 1],
      ["label", "string", 4, 0],
      ["score", "number", 3, 1],
    ]);
    expect(out.columns[0]).toMatchObject({ min: 1, max: 3, mean: 2 });
    expect(out.columns[1]?.top?.[0]).toEqual({ value: "cat", count: 3 });
    writeFileSync(join(repo.dir, "data/broken.parquet"), "PAR1 not really");
    const broken = await runCli(["data", "describe", "data/broken.parquet"], { cwd: repo.dir });
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/data\/broken\.parquet: cannot read this Parquet file/);
  });

  it("computes each object once: the summary is cached under the store's cache dir by sha256", async () => {
    const first = (
      await runCli(["data", "describe", "data/scores.tsv", "--json"], { cwd: repo.dir })
    ).json<Described>();
    const cacheDir = join(repo.dir, ".trainyard", "cache", "data-summary");
    const file = readdirSync(cacheDir).find((f) => f.includes(first.oid.slice("sha256:".length)));
    expect(file).toBeDefined();
    // Rewrite the cached entry: a second describe of the same bytes must read it, not re-parse.
    const entry = JSON.parse(readFileSync(join(cacheDir, file as string), "utf8")) as Described;
    writeFileSync(join(cacheDir, file as string), JSON.stringify({ ...entry, rows: 999 }));
    const second = (
      await runCli(["data", "describe", "data/scores.tsv", "--json"], { cwd: repo.dir })
    ).json<Described>();
    expect(second.rows).toBe(999);
  });

  it("bad data fails with the file and line; a non-table path is refused", async () => {
    write("data/bad.jsonl", '{"a":1}\n{"a":\n');
    const bad = await runCli(["data", "describe", "data/bad.jsonl"], { cwd: repo.dir });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/data\/bad\.jsonl:2/);
    const png = await runCli(["data", "describe", "model.json"], { cwd: repo.dir });
    expect(png.code).not.toBe(0);
    expect(png.stderr).toMatch(/reads \.csv, \.tsv, \.jsonl/);
  });

  it("metrics diff --md shows what changed in the data, escaped, for git and store-held tables", async () => {
    const r = await runCli(["metrics", "diff", "HEAD~1", "HEAD", "--md"], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(0);
    const md = r.stdout;
    if (process.env.SHOW_MD) console.log(md);
    expect(md).toContain("#### Data versions changed");
    expect(md).toContain(
      "<details><summary>data/train.csv: 3 → 4 rows (+1), 1 column added, 1 column removed</summary>",
    );
    expect(md).toMatch(/\| sepal \| changed \| number \| 3 → 4 \| 0 \| 5\.4+\d* → 5\.825 \|/);
    expect(md).toMatch(/\| petal \| added \| — → number \|/);
    expect(md).toContain("data/events.jsonl: 2 → 3 rows (+1), 1 column retyped</summary>");
    expect(md).toMatch(/\| ms \| retyped \| integer → string \|/);
    // The hostile column name is text in a cell: no tag, no extra cell.
    expect(md).not.toContain("<img");
    const removedRow = md.split("\n").find((line) => line.startsWith("| note"));
    expect(removedRow).toBeDefined();
    expect(removedRow).toContain("\\|");
    expect(existsSync(join(repo.dir, ".trainyard", "cache", "data-summary"))).toBe(true);
  });
});
