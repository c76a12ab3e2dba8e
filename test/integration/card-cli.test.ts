import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCard } from "../../src/core/card/index.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const CONFIG = `params: params.yaml
stages:
  train:
    cmd: node train.js
    deps: [train.js, data/raw.csv]
    params: [train]
    outs: [models/iris/model.json]
    metrics: [metrics.json]
models:
  iris:
    path: models/iris/model.json
    metrics: metrics.json
    card: models/iris/README.md
    license: mit
    library_name: ml-random-forest
    tags: [tabular-classification]
    datasets: [iris]
    task: tabular-classification
`;
const h = (c: string) => `sha256:${c.repeat(64)}`;
const LOCK = `schema: 1
stages:
  train:
    cmd: node train.js
    fingerprint: ${h("0")}
    deps:
      - { path: train.js, hash: ${h("1")}, size: 5 }
      - { path: data/raw.csv, hash: ${h("2")}, size: 50 }
    params: { train.depth: 4 }
    outs:
      - { path: models/iris/model.json, hash: ${h("3")}, size: 99 }
    metrics: []
    plots: []
`;

describe("trainyard card (real repository)", () => {
  let repo: TempRepo;
  const file = () => join(repo.dir, "models/iris/README.md");

  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-card-" });
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "trainyard.yaml"), CONFIG);
    writeFileSync(join(repo.dir, "params.yaml"), "train:\n  depth: 4\n");
    writeFileSync(join(repo.dir, "train.js"), "//\n");
    writeFileSync(join(repo.dir, "metrics.json"), JSON.stringify({ accuracy: 0.95, macro_f1: 0.94 }));
    writeFileSync(join(repo.dir, "trainyard.lock"), LOCK);
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "trained"]);
  });
  afterAll(() => repo.cleanup());

  it("writes a card with lineage from the lock and HEAD, and it passes --check", async () => {
    const r = await runCli(["card", "--json"], { cwd: repo.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      cards: [{ model: "iris", path: "models/iris/README.md", changed: true }],
    });
    const doc = parseCard(readFileSync(file(), "utf8"), "README.md");
    expect(doc.frontMatter).toMatchObject({
      license: "mit",
      "model-index": [
        {
          name: "iris",
          results: [
            { task: { type: "tabular-classification" }, dataset: { type: "iris", revision: h("2") } },
          ],
        },
      ],
      trainyard: {
        commit: repo.git(["rev-parse", "HEAD"]).trim(),
        data: { "data/raw.csv": h("2"), "models/iris/model.json": h("3") },
        params: { "train.depth": 4 },
      },
    });
    const check = await runCli(["card", "--check"], { cwd: repo.dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toBe("models/iris/README.md: ok\n");
    expect((await runCli(["card", "iris"], { cwd: repo.dir })).stdout).toBe(
      "unchanged models/iris/README.md\n",
    );
  });

  it("keeps hand-written text when regenerating after new metrics", async () => {
    const text = readFileSync(file(), "utf8").replace(
      /(<!-- trainyard:manual limitations -->\n)[\s\S]*?(\n<!-- trainyard:end limitations -->)/,
      "$1Only trained on 150 flowers; do not use for other species.$2",
    );
    writeFileSync(file(), text);
    writeFileSync(join(repo.dir, "metrics.json"), JSON.stringify({ accuracy: 0.97, macro_f1: 0.96 }));
    const stale = await runCli(["card", "--check"], { cwd: repo.dir });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(
      /card says accuracy = 0\.95 but the metrics file says 0\.97; regenerate with `trainyard card`/,
    );
    expect((await runCli(["card"], { cwd: repo.dir })).stdout).toBe("wrote models/iris/README.md\n");
    const after = readFileSync(file(), "utf8");
    expect(parseCard(after, "README.md").manual.get("limitations")).toBe(
      "Only trained on 150 flowers; do not use for other species.",
    );
    expect(after).toContain("| accuracy | 0.97 |");
    expect((await runCli(["card", "--check"], { cwd: repo.dir })).code).toBe(0);
  });

  it("--check fails on a broken model-index with file, line and key", async () => {
    const broken = readFileSync(file(), "utf8").replace(/\n {10}type: iris\n/, "\n");
    writeFileSync(file(), broken);
    const r = await runCli(["card", "--check"], { cwd: repo.dir });
    expect(r.code).toBe(1);
    // The position of the dataset mapping that lacks `type` (its first remaining key).
    const line = broken.split("\n").findIndex((l) => l.includes("dataset:")) + 2;
    expect(r.stdout).toContain(
      `models/iris/README.md:${line}:11 (key model-index[0].results[0].dataset.type): error: \`type\` is required: the dataset id`,
    );
    const json = await runCli(["card", "--check", "--json"], { cwd: repo.dir });
    expect(json.json()).toMatchObject({ ok: false });
  });
});
