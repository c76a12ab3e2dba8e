/**
 * `trainyard init --from-dvc` on a DVC project written here from DVC's documented formats
 * (dvc.yaml with foreach, top-level metrics/plots and artifacts; dvc.lock schema 2.0; `.dvc` files;
 * `.dvc/config` with an S3 remote; DVC 3's cache layout `.dvc/cache/files/md5/ab/cdef…`), with small
 * generated data: converted, then run end to end with the same stages and the same DAG.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRepo } from "../../src/io/git/index.js";
import { readStoreConfig } from "../../src/io/remote/index.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

function csv(seed: number): string {
  const rows = Array.from({ length: 6 }, (_, i) => `${i},${(seed * 7 + i * 3) % 11}`);
  return `id,value\n${rows.join("\n")}\n`;
}

const SCRIPTS: Record<string, string> = {
  "src/prepare.js": `const fs = require("node:fs");
const name = process.argv[2];
const rows = fs.readFileSync("data/raw/" + name + ".csv", "utf8").trim().split("\\n").slice(1);
fs.mkdirSync("data/prepared", { recursive: true });
fs.writeFileSync("data/prepared/" + name + ".csv", rows.map((r) => r.split(",")[1]).join("\\n") + "\\n");
`,
  "src/featurize.js": `const fs = require("node:fs");
const scale = Number(/scale: (\\d+)/.exec(fs.readFileSync("params.yaml", "utf8"))[1]);
const values = ["a", "b", "c"].flatMap((n) => fs.readFileSync("data/prepared/" + n + ".csv", "utf8").trim().split("\\n").map(Number));
fs.mkdirSync("data/features", { recursive: true });
fs.writeFileSync("data/features/x.json", JSON.stringify(values.map((v) => v * scale)));
`,
  "src/train.js": `const fs = require("node:fs");
const x = JSON.parse(fs.readFileSync("data/features/x.json", "utf8"));
const labels = fs.readFileSync("data/labels.csv", "utf8").trim().split("\\n").length - 1;
fs.writeFileSync("model.json", JSON.stringify({ mean: x.reduce((a, b) => a + b, 0) / x.length, labels }));
`,
  "src/evaluate.js": `const fs = require("node:fs");
const model = JSON.parse(fs.readFileSync("model.json", "utf8"));
fs.mkdirSync("eval/plots", { recursive: true });
fs.writeFileSync("eval/metrics.json", JSON.stringify({ accuracy: Number((1 / (1 + model.mean / 100)).toFixed(4)) }));
fs.writeFileSync("eval/plots/roc.json", JSON.stringify([{ fpr: 0, tpr: 0 }, { fpr: 0.5, tpr: 0.8 }, { fpr: 1, tpr: 1 }]));
`,
};

const DVC_YAML = `vars:
  - params.yaml
stages:
  prepare:
    foreach: \${datasets}
    do:
      cmd: node src/prepare.js \${item}
      deps:
        - src/prepare.js
        - data/raw/\${item}.csv
      outs:
        - data/prepared/\${item}.csv
  featurize:
    cmd: node src/featurize.js
    deps: [src/featurize.js, data/prepared]
    params:
      - featurize.scale
    outs:
      - data/features
  train:
    cmd: node src/train.js
    deps: [src/train.js, data/features, data/labels.csv]
    params: [train]
    outs:
      - model.json:
          desc: the trained model
    meta:
      owner: someone
  evaluate:
    cmd:
      - node src/evaluate.js
    deps: [src/evaluate.js, model.json]
    outs:
      - eval
metrics:
  - eval/metrics.json
plots:
  - ROC:
      template: simple
      x: fpr
      y:
        eval/plots/roc.json: tpr
artifacts:
  toy-classifier:
    path: model.json
    type: model
    desc: a toy classifier
    labels: [demo]
  notes:
    path: README.md
    type: doc
`;

describe("trainyard init --from-dvc on a DVC project (real git, DVC's formats)", () => {
  let repo: TempRepo;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(repo.dir, file)), { recursive: true });
    writeFileSync(join(repo.dir, file), text);
  };
  const cache = (content: string, suffix = "") => {
    const sum = md5(content);
    write(`.dvc/cache/files/md5/${sum.slice(0, 2)}/${sum.slice(2)}${suffix}`, content);
    return sum;
  };

  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-from-dvc-" });
    for (const [file, text] of Object.entries(SCRIPTS)) write(file, text);
    write("params.yaml", "datasets: [a, b, c]\nfeaturize:\n  scale: 2\ntrain:\n  epochs: 3\n");
    write("dvc.yaml", DVC_YAML);
    // data/raw is tracked by `dvc add` and present only in DVC's cache (not checked out).
    const raw = ["a", "b", "c"].map((n, i) => ({ relpath: `${n}.csv`, md5: cache(csv(i + 1)) }));
    const listing = JSON.stringify(raw);
    const rawMd5 = cache(listing, ".dir");
    write(
      "data/raw.dvc",
      `outs:\n- md5: ${rawMd5}.dir\n  size: 120\n  nfiles: 3\n  hash: md5\n  path: raw\n`,
    );
    // data/labels.csv is tracked by `dvc add` and checked out.
    const labels = "id,label\n0,1\n1,0\n2,1\n";
    write("data/labels.csv", labels);
    write(
      "data/labels.csv.dvc",
      `outs:\n- md5: ${md5(labels)}\n  size: ${labels.length}\n  hash: md5\n  path: labels.csv\n`,
    );
    // dvc.lock records prepare@a's out, which only DVC's cache holds now.
    const preparedA = "1\n4\n7\n10\n2\n5\n";
    cache(preparedA);
    write(
      "dvc.lock",
      `schema: '2.0'\nstages:\n  prepare@a:\n    cmd: node src/prepare.js a\n    deps:\n    - path: src/prepare.js\n      hash: md5\n      md5: ${md5(SCRIPTS["src/prepare.js"]!)}\n      size: 10\n    outs:\n    - path: data/prepared/a.csv\n      hash: md5\n      md5: ${md5(preparedA)}\n      size: ${preparedA.length}\n`,
    );
    write(
      ".dvc/config",
      "[core]\n    remote = storage\n['remote \"storage\"']\n    url = s3://example-bucket/dvcstore\n    endpointurl = http://127.0.0.1:9000\n['remote \"backup\"']\n    url = gs://other-bucket/dvc\n",
    );
    write(".gitignore", "/data/raw\n/data/prepared\n/data/features\n/model.json\n/eval\n.dvc/cache\n");
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "a DVC project"]);
  });
  afterAll(() => repo.cleanup());

  it("converts stages, top-level metrics and plots, artifacts and the S3 remote, and says what it could not map", async () => {
    const r = await runCli(["init", "--from-dvc", "--json"], { cwd: repo.dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = r.json<{ pointers: string[]; restored: string[]; missing: string[]; unmapped: string[] }>();
    expect(out.pointers.sort()).toEqual(["data/labels.csv.ty", "data/raw.ty"]);
    expect(out.restored.sort()).toEqual(["data/prepared/a.csv", "data/raw"]);
    expect(out.missing).toEqual([]);
    expect(out.unmapped).toEqual([
      'stages.train.outs[0] model.json: option "desc" has no equivalent (dropped)',
      "stages.train.meta: no equivalent in trainyard.yaml (dropped)",
      'artifacts.notes: type "doc" is neither model nor dataset (skipped)',
      '.dvc/config remote "backup": gs://other-bucket/dvc is not an S3 remote (skipped)',
    ]);
    const config = parse(readFileSync(join(repo.dir, "trainyard.yaml"), "utf8"));
    expect(config.models).toEqual({
      "toy-classifier": {
        type: "model",
        path: "model.json",
        description: "a toy classifier",
        tags: ["demo"],
      },
    });
    expect(config.store).toEqual({
      default: "storage",
      remotes: {
        local: { url: ".trainyard/store" },
        storage: { url: "s3://example-bucket/dvcstore", endpoint: "http://127.0.0.1:9000" },
      },
    });
    expect(config.metrics).toEqual(["eval/metrics.json"]);
    expect(config.stages.evaluate.cmd).toBe("node src/evaluate.js");
    // The data from DVC's cache is the data DVC recorded, now under sha256 pointers.
    expect(readFileSync(join(repo.dir, "data/raw/b.csv"), "utf8")).toBe(csv(2));
    expect(readFileSync(join(repo.dir, "data/raw.ty"), "utf8")).toMatch(/hash: sha256:[0-9a-f]{64}\n/);
  });

  it("has the same stages and DAG as dvc.yaml, runs end to end and produces the metrics", async () => {
    const dag = (await runCli(["dag", "--json"], { cwd: repo.dir })).json<{
      stages: string[];
      edges: { from: string; to: string }[];
    }>();
    expect(dag.stages).toEqual(["prepare@a", "prepare@b", "prepare@c", "featurize", "train", "evaluate"]);
    const edges = dag.edges.map((e) => `${e.from}->${e.to}`).sort();
    expect(edges).toEqual(
      [
        "prepare@a->featurize",
        "prepare@b->featurize",
        "prepare@c->featurize",
        "featurize->train",
        "train->evaluate",
      ].sort(),
    );
    // The S3 remote of the fixture is not reachable: the remote run cache is not asked.
    const run = await runCli(["run", "--jobs", "2", "--no-remote-cache"], { cwd: repo.dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/6 ran/);
    const metrics = (await runCli(["metrics", "show", "--json"], { cwd: repo.dir })).json<{
      metrics: Record<string, Record<string, number>>;
    }>();
    expect(metrics.metrics["eval/metrics.json"]?.accuracy).toBeGreaterThan(0);
    expect(existsSync(join(repo.dir, "trainyard.lock"))).toBe(true);
    const status = await runCli(["status", "--fail-if-stale"], { cwd: repo.dir });
    expect(status.code).toBe(0);
  });

  it("reads the store of a config with foreach stages (the remote run cache and push read it)", async () => {
    expect((await readStoreConfig(openRepo(repo.dir)))?.default).toBe("storage");
  });

  it("refuses a .dvc file whose data lies outside the project, before writing anything", async () => {
    const evil = makeTempRepo({ prefix: "trainyard-from-dvc-evil-" });
    try {
      writeFileSync(join(evil.dir, "dvc.yaml"), "stages:\n  a:\n    cmd: echo a\n");
      writeFileSync(join(evil.dir, "stolen.dvc"), `outs:\n- md5: ${md5("x")}\n  path: ../../etc/passwd\n`);
      const r = await runCli(["init", "--from-dvc"], { cwd: evil.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /stolen\.dvc: path "\.\.\/\.\.\/etc\/passwd" escapes the repository; .*nothing was written/,
      );
      expect(existsSync(join(evil.dir, "trainyard.yaml"))).toBe(false);
    } finally {
      evil.cleanup();
    }
  });

  it("refuses to run twice over an existing trainyard.yaml", async () => {
    const r = await runCli(["init", "--from-dvc"], { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/trainyard\.yaml already exists/);
  });
});
