/**
 * The PR report (`metrics diff --md`) shows the plots a pipeline declares, on a real repository
 * with two commits where a ROC CSV, a DVC-style confusion JSON and a PNG change.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv } from "ajv";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/io/config/index.js";
import { writeRenderedPlots } from "../../src/io/plots/index.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";
import { tinyPng } from "../helpers/tiny-png.js";

const CONFIG = `stages:
  evaluate:
    cmd: node evaluate.js
    deps: [evaluate.js]
    metrics: [metrics.json]
    plots:
      - plots/roc.csv:
          x: fpr
          y: tpr
          title: ROC curve
          x_label: false positive rate
          y_label: true positive rate
      - plots/confusion.json:
          template: confusion
          x: actual
          y: predicted
          title: Confusion matrix
      - plots/importance.png
models:
  iris:
    path: model.json
    metrics: metrics.json
    gates:
      accuracy: { min: 0.8 }
`;

/** A ROC curve with many thresholds (the report must downsample it). */
function rocCsv(power: number): string {
  const rows = ["threshold,fpr,tpr"];
  for (let i = 0; i <= 200; i++) {
    const fpr = i / 200;
    rows.push(`${(1 - fpr).toFixed(3)},${fpr.toFixed(4)},${(fpr ** power).toFixed(4)}`);
  }
  return `${rows.join("\n")}\n`;
}

/** DVC writes one record per prediction: `[{actual, predicted}, …]` under a key. */
function confusionJson(errors: number): string {
  const rows: { actual: string; predicted: string }[] = [];
  for (const label of ["setosa", "versicolor", "virginica"]) {
    for (let i = 0; i < 10; i++) rows.push({ actual: label, predicted: label });
  }
  for (let i = 0; i < errors; i++) rows.push({ actual: "versicolor", predicted: "virginica" });
  return JSON.stringify({ test: rows });
}

describe("plots in the PR report (real git, two commits)", () => {
  let repo: TempRepo;
  const write = (file: string, data: string | Buffer) => writeFileSync(join(repo.dir, file), data);

  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-plots-" });
    repo.git(["config", "core.autocrlf", "false"]);
    write("trainyard.yaml", CONFIG);
    write("evaluate.js", "// evaluation\n");
    write("metrics.json", JSON.stringify({ accuracy: 0.85 }));
    mkdirSync(join(repo.dir, "plots"), { recursive: true });
    write("plots/roc.csv", rocCsv(0.5));
    write("plots/confusion.json", confusionJson(3));
    write("plots/importance.png", tinyPng([200, 30, 30]));
    repo.git(["add", "."]);
    repo.git(["commit", "-q", "-m", "base"]);
    write("metrics.json", JSON.stringify({ accuracy: 0.9 }));
    write("plots/roc.csv", rocCsv(0.3));
    write("plots/confusion.json", confusionJson(1));
    write("plots/importance.png", tinyPng([30, 30, 200]));
    repo.git(["commit", "-q", "-am", "head"]);
  });
  afterAll(() => repo.cleanup());

  it("shows the two-series xychart, the confusion delta table and the image reference", async () => {
    const r = await runCli(["metrics", "diff", "HEAD~1", "HEAD", "--md"], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(0);
    const md = r.stdout;
    const head = repo.git(["rev-parse", "--short=7", "HEAD"]).trim();
    const base = repo.git(["rev-parse", "--short=7", "HEAD~1"]).trim();

    expect(md).toContain("#### Plots (3 of 3 changed)");
    // The curve: one Mermaid xychart with a base line and a head line on one 21-point grid.
    const chart = /```mermaid\n[\s\S]*?xychart-beta\n([\s\S]*?)```/.exec(md);
    expect(chart).not.toBeNull();
    const body = chart?.[1] ?? "";
    expect(body).toContain('title "ROC curve"');
    expect(body).toContain('x-axis "false positive rate" 0 --> 1');
    const lines = [...body.matchAll(/^ {4}line \[(.*)\]$/gm)].map((m) =>
      (m[1] ?? "").split(", ").map(Number),
    );
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.length)).toEqual([21, 21]);
    // Base is √fpr, head fpr^0.3: at fpr = 0.25 (the sixth grid point) 0.5 and 0.66.
    expect(lines[0]?.[5]).toBeCloseTo(0.5, 2);
    expect(lines[1]?.[5]).toBeCloseTo(0.25 ** 0.3, 2);

    // The confusion matrix: head counts with each changed cell's delta.
    expect(md).toContain("| actual \\ predicted | **setosa** | **versicolor** | **virginica** |");
    expect(md).toContain("| **versicolor** | 0 | 10 | 1 (-2) |");
    expect(md).toContain("| **setosa** | 10 | 0 | 0 |");

    // The image: changed, so base and head side by side, each pinned to its commit.
    expect(md).toContain(`base: plots/importance.png@${base}`);
    expect(md).toContain(`head: plots/importance.png@${head}`);

    // The first plot is open; the others fold.
    expect(md.match(/<details><summary>/g)).toHaveLength(2);
  });

  it("says unchanged when base and head hold the same plots", async () => {
    const r = await runCli(["metrics", "diff", "HEAD", "HEAD", "--md"], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("#### Plots (0 of 3 changed)");
    expect(r.stdout).toContain("ROC curve · unchanged");
  });

  it("plots diff writes one offline HTML page whose specs validate against the Vega-Lite schema, and SVG files", async () => {
    const r = await runCli(
      ["plots", "diff", "HEAD~1", "HEAD", "--out", "out/plots.html", "--svg", "out/svg"],
      {
        cwd: repo.dir,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(repo.dir, "out/plots.html"), "utf8");
    // Self-contained: the three libraries inlined, nothing fetched from the network.
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
    const json =
      /<script type="application\/json" id="trainyard-specs">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    const specs = JSON.parse(json) as { id: string; spec: Record<string, unknown> }[];
    expect(specs).toHaveLength(2);
    const schema = JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve("vega-lite/vega-lite-schema.json"), "utf8"),
    ) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    for (const { spec } of specs)
      expect(validate(spec), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // Both revisions are in the curve's data, coloured by revision.
    const roc = specs[0]?.spec as { data: { values: { revision: string }[] } };
    expect(new Set(roc.data.values.map((v) => v.revision)).size).toBe(2);
    // The PNG is embedded for both revisions.
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(2);

    const svgs = readdirSync(join(repo.dir, "out/svg")).sort();
    expect(svgs).toEqual(["plots_confusion.json.svg", "plots_roc.csv.svg"]);
    for (const file of svgs) {
      const svg = readFileSync(join(repo.dir, "out/svg", file), "utf8");
      expect(XMLValidator.validate(svg)).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg?: Record<string, unknown> };
      expect(doc.svg?.["@_xmlns"]).toBe("http://www.w3.org/2000/svg");
    }
  });

  it("plots show --json prints the Vega-Lite spec of each plot", async () => {
    const r = await runCli(["plots", "show", "--rev", "HEAD", "--json"], { cwd: repo.dir });
    expect(r.code, r.stderr).toBe(0);
    const { plots } = r.json<{ plots: { id: string; template: string; spec?: { mark?: unknown } }[] }>();
    expect(plots.map((p) => [p.id, p.template])).toEqual([
      ["plots/roc.csv", "linear"],
      ["plots/confusion.json", "confusion"],
      ["plots/importance.png", "linear"],
    ]);
    expect(plots[0]?.spec?.mark).toMatchObject({ type: "line" });
  });

  it("refuses an image plot that is a symlink out of the project (its bytes would land in a shared page)", async () => {
    const outside = join(repo.dir, "..", `outside-${Date.now()}.png`);
    writeFileSync(outside, tinyPng([1, 2, 3]));
    rmSync(join(repo.dir, "plots/importance.png"));
    symlinkSync(outside, join(repo.dir, "plots/importance.png"));
    try {
      const r = await runCli(["plots", "show", "--out", "out/ws.html"], { cwd: repo.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/plots\/importance\.png resolves outside the project/);
      expect(existsSync(join(repo.dir, "out/ws.html"))).toBe(false);
    } finally {
      rmSync(outside, { force: true });
      repo.git(["checkout", "--", "plots/importance.png"]);
    }
  });

  it("plots show fails on bar_horizontal data that is not bars, naming the file and the key", async () => {
    const config = `${CONFIG.split("models:")[0]}      - plots/importance.csv:
          template: bar_horizontal
          x: importance
          y: feature
models:${CONFIG.split("models:")[1]}`;
    write("trainyard.yaml", config);
    write("plots/importance.csv", "feature,importance\npetal,0.7\nsepal,high\n");
    try {
      const r = await runCli(["plots", "show", "--out", "out/bars.html"], { cwd: repo.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'plots/importance.csv@workspace (key [1].importance): bar_horizontal needs a number in "importance" on every row, got "high"',
      );
      expect(existsSync(join(repo.dir, "out/bars.html"))).toBe(false);
    } finally {
      rmSync(join(repo.dir, "plots/importance.csv"));
      repo.git(["checkout", "--", "trainyard.yaml"]);
    }
  });

  it("the run action's rendering writes one SVG per data plot, never through a folder linked out of the project", async () => {
    const { config } = await loadConfig(repo.dir);
    const written = await writeRenderedPlots(repo.dir, config);
    expect(written).toEqual([
      "trainyard-plots/plots_roc.csv.svg",
      "trainyard-plots/plots_confusion.json.svg",
    ]);
    rmSync(join(repo.dir, "trainyard-plots"), { recursive: true });
    const outside = mkdtempSync(join(tmpdir(), "trainyard-outside-"));
    symlinkSync(outside, join(repo.dir, "trainyard-plots"));
    try {
      await expect(writeRenderedPlots(repo.dir, config)).rejects.toThrow(/resolves outside the project/);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      rmSync(join(repo.dir, "trainyard-plots"));
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
