import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

// A column name that would break out of a Markdown table or inject HTML if written raw.
const NASTY = "note|<img src=x onerror=alert(1)>";
const CONFIG = `stages:
  prepare:
    cmd: node prepare.js
    deps: [prepare.js]
    outs: [data/iris]
models:
  iris:
    path: models/iris/model.json
    metrics: metrics.json
  iris-data:
    type: dataset
    path: data/iris
    card: data/iris/README.md
    license: cc-by-4.0
    tags: [tabular]
    task_categories: [tabular-classification]
`;
const TRAIN = `sepal_length,petals,species,ok,"${NASTY.replace(/"/g, '""')}"
5.1,1,setosa,true,a
4.9,2,setosa,false,b
6.3,3,virginica,true,c
5.8,2,versicolor,true,d
7.1,4,virginica,false,e
`;
const TEST = `sepal_length,petals,species,ok,"${NASTY}"
5.0,1,setosa,true,x
6.7,3,virginica,false,y
`;
const h = (c: string) => `sha256:${c.repeat(64)}`;
const lock = (hash: string) => `schema: 1
stages:
  prepare:
    cmd: node prepare.js
    fingerprint: ${hash}
    deps:
      - { path: prepare.js, hash: ${h("1")}, size: 3 }
    params: {}
    outs:
      - { path: data/iris, hash: ${hash}, size: 300, files: 2 }
    metrics: []
    plots: []
`;

function frontMatter(text: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) throw new Error(`no front matter in:\n${text}`);
  // The Hub reads cards with PyYAML, a YAML 1.1 parser.
  return parse(m[1] as string, { version: "1.1" }) as Record<string, unknown>;
}

describe("type: dataset artifacts (real repository)", () => {
  let repo: TempRepo;
  const card = () => readFileSync(join(repo.dir, "data/iris/README.md"), "utf8");
  const cli = (...args: string[]) => runCli(args, { cwd: repo.dir });

  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-dataset-" });
    mkdirSync(join(repo.dir, "data/iris"), { recursive: true });
    mkdirSync(join(repo.dir, "models/iris"), { recursive: true });
    writeFileSync(join(repo.dir, "trainyard.yaml"), CONFIG);
    writeFileSync(join(repo.dir, "prepare.js"), "//\n");
    writeFileSync(join(repo.dir, "data/iris/train.csv"), TRAIN);
    writeFileSync(join(repo.dir, "data/iris/test.csv"), TEST);
    writeFileSync(join(repo.dir, "models/iris/model.json"), "{}\n");
    writeFileSync(join(repo.dir, "metrics.json"), JSON.stringify({ accuracy: 0.9 }));
    writeFileSync(join(repo.dir, "trainyard.lock"), lock(h("a")));
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "data"]);
  });
  afterAll(() => repo.cleanup());

  it("writes a dataset card: HF dataset_info from the data itself, no model sections", async () => {
    const r = await cli("card", "iris-data", "--json");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const text = card();
    const front = frontMatter(text);
    const bytes = (f: string) => Buffer.byteLength(f === "train" ? TRAIN : TEST);
    expect(front).toMatchObject({
      license: "cc-by-4.0",
      tags: ["tabular", "trainyard"],
      task_categories: ["tabular-classification"],
      dataset_info: {
        features: [
          { name: "sepal_length", dtype: "float64" },
          { name: "petals", dtype: "int64" },
          { name: "species", dtype: "string" },
          { name: "ok", dtype: "bool" },
          { name: NASTY, dtype: "string" },
        ],
        splits: [
          { name: "train", num_bytes: bytes("train"), num_examples: 5 },
          { name: "test", num_bytes: bytes("test"), num_examples: 2 },
        ],
        download_size: bytes("train") + bytes("test"),
        dataset_size: bytes("train") + bytes("test"),
      },
      trainyard: { commit: expect.stringMatching(/^[0-9a-f]{40}$/), data: { "data/iris": h("a") } },
    });
    expect(Object.keys(front)).not.toContain("model-index");
    expect(Object.keys(front)).not.toContain("metrics");
    expect(text).not.toMatch(/## Metrics|No metrics/);
    expect(text).toContain("### train");
    expect(text).toContain("### test");
    // The column name is data in the YAML, and text in the Markdown body, escaped for the table
    // cell: no raw HTML tag, no cell-splitting pipe.
    const body = text.slice(text.indexOf("\n---\n", 4));
    expect(body).toContain("note\\|&lt;img");
    expect(body).not.toContain("<img");
    expect(body).not.toContain("note|");
    const check = await cli("card", "iris-data", "--check", "--json");
    expect(check.code, check.stdout).toBe(0);
    expect(check.json<{ cards: { problems: unknown[] }[] }>().cards[0]?.problems).toEqual([]);
  });

  it("card --check says a dataset card is stale when the data's rows changed", async () => {
    appendFileSync(join(repo.dir, "data/iris/test.csv"), "5.5,2,setosa,true,z\n");
    const check = await cli("card", "iris-data", "--check");
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(
      /data\/iris\/README\.md:\d+:\d+ \(key dataset_info\.splits\[1\]\.num_examples\): error: card says split test has 2 rows but the data has 3/,
    );
    repo.git(["checkout", "--", "data/iris/test.csv"]);
  });

  it("registry show lists datasets apart from models, with rows and size", async () => {
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "card"]);
    for (const name of ["iris", "iris-data"]) {
      const r = await cli("registry", "register", name, "--force");
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    const json = (await cli("registry", "show", "--json")).json<{
      artifacts: { name: string; type: string; rows?: number; bytes?: number }[];
    }>();
    const total = Buffer.byteLength(TRAIN) + Buffer.byteLength(TEST);
    expect(json.artifacts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "iris", type: "model" }),
        expect.objectContaining({ name: "iris-data", type: "dataset", rows: 7, bytes: total }),
      ]),
    );
    const human = (await cli("registry", "show")).stdout;
    const [models, datasets] = human.split("\n\n");
    expect(models).toMatch(/^Name\s+Type\s+Latest/m);
    expect(models).toMatch(/^iris\s+model\s+v1\.0\.0/m);
    expect(models).not.toContain("iris-data");
    expect(datasets).toMatch(/^Dataset\s+Latest\s+Rows\s+Size/m);
    expect(datasets).toMatch(/^iris-data\s+v1\.0\.0\s+7\s+\d+ B/m);
  });

  it("a PR report on a dataset has its data change and no model-only sections", async () => {
    const base = repo.git(["rev-parse", "HEAD"]).trim();
    writeFileSync(join(repo.dir, "trainyard.lock"), lock(h("b")));
    repo.git(["commit", "-qam", "new data"]);
    const r = await cli("metrics", "diff", base, "HEAD", "--md", "--model", "iris-data");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("dataset — 1 data path changed");
    expect(r.stdout).toContain("#### Data versions changed");
    expect(r.stdout).not.toMatch(/no metrics|gates|metrics report|across versions|⏳/i);
  });
});
