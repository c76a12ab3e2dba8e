import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/core/config/schema.js";
import { buildModelReport } from "../../src/core/pr-report/build-model-report.js";
import { nextIterations, parseIterations, renderIterations } from "../../src/core/report/iterations.js";

const BASE = { accuracy: 0.9, loss: 0.3, f1: 0.8, recall: 0.7, precision: 0.75, support: 45, auc: 0.91 };
const HEAD = {
  accuracy: 0.88,
  loss: 0.25,
  f1: 0.8,
  recall: 0.7123456,
  precision: 0.75,
  support: 45,
  auc: 0.91,
};

function markdown(model: Record<string, unknown>): string {
  const config = configSchema.parse({
    models: { iris: { path: "m.json", metrics: "metrics.json", ...model } },
  });
  return buildModelReport({
    config,
    model: "iris",
    base: { label: "main", files: { "metrics.json": JSON.stringify(BASE) } },
    head: { label: "pr", files: { "metrics.json": JSON.stringify(HEAD) } },
  }).markdown;
}

const tableRows = (md: string) =>
  md.split("\n").filter((l) => /^\| [^-]/.test(l) && !l.startsWith("| Metric"));
const firstColumn = (rows: string[]) => rows.map((l) => l.split(" | ")[0]?.replace(/^\| (❌ )?/, ""));
const beforeDetails = (md: string) => md.slice(0, md.indexOf("<details>"));
const insideDetails = (md: string) => md.slice(md.indexOf("<details>"), md.indexOf("</details>"));

describe("a focused metrics table", () => {
  it("shows changed and gated metrics; unchanged ones fold into <details>", () => {
    const md = markdown({ gates: { accuracy: { min: 0.8, max_drop: 0.05 }, auc: { min: 0.9 } } });
    expect(firstColumn(tableRows(beforeDetails(md)))).toEqual(["accuracy", "auc", "loss", "recall"]);
    expect(insideDetails(md)).toContain("<summary>3 unchanged metrics</summary>");
    expect(firstColumn(tableRows(insideDetails(md)))).toEqual(["f1", "precision", "support"]);
  });

  it("colours a change by direction: gates imply it, report.direction sets it", () => {
    const md = markdown({
      gates: { accuracy: { min: 0.8 } },
      report: { direction: { loss: "lower", recall: "higher" } },
    });
    const row = (key: string) => tableRows(md).find((l) => l.startsWith(`| ${key} `)) ?? "";
    expect(row("accuracy")).toContain("🔴 ▼ -0.02");
    expect(row("loss")).toContain("🟢 ▼ -0.05");
    expect(row("recall")).toContain("🟢 ▲ +0.0123");
    expect(markdown({ gates: { loss: { max: 1 } } })).toMatch(/\| loss \|[^\n]*🟢 ▼/);
  });

  it("report.metrics chooses and orders the rows, never hiding a failing gate; precision is configurable", () => {
    const md = markdown({
      gates: { accuracy: { max_drop: 0.01 } },
      report: { metrics: ["f1", "loss", "recall"], precision: 2 },
    });
    expect(firstColumn(tableRows(beforeDetails(md)))).toEqual(["accuracy", "f1", "loss", "recall"]);
    expect(tableRows(md).find((l) => l.startsWith("| recall"))).toContain("| 0.7 | 0.71 | ▲ +0.01 |");
    expect(insideDetails(md)).toContain("<summary>3 other metrics</summary>");
  });
});

describe("the iterations table", () => {
  it("round-trips through the comment and adds one row per head commit", () => {
    const first = renderIterations(
      nextIterations([], { sha: "a".repeat(40), value: 0.9, verdict: "pass" }),
      "accuracy",
    );
    const rows = nextIterations(parseIterations(`text\n${first}\nmore`), {
      sha: "b".repeat(40),
      verdict: "fail",
    });
    expect(rows.map((r) => r.sha[0])).toEqual(["a", "b"]);
    // Re-reporting a commit replaces its row.
    expect(
      nextIterations(rows, { sha: "a".repeat(40), value: 0.95, verdict: "pass" }).map((r) => r.value),
    ).toEqual([undefined, 0.95]);
    expect(renderIterations(rows, "accuracy")).toContain("| 2 | `bbbbbbb` | — | ❌ fail |");
  });

  it("ignores a tampered block: text that is not a commit, a number or a verdict never reaches the table", () => {
    const forged = (value: unknown) =>
      `<!-- trainyard:iterations ${Buffer.from(JSON.stringify(value)).toString("base64url")} -->`;
    expect(parseIterations(forged([{ sha: "<img src=x>", verdict: "pass" }]))).toEqual([]);
    expect(parseIterations(forged([{ sha: "abcdef1", value: "1 | x", verdict: "pass" }]))).toEqual([]);
    expect(parseIterations(forged([{ sha: "abcdef1", verdict: "pass", note: "extra" }]))).toEqual([]);
    expect(parseIterations("<!-- trainyard:iterations not base64! -->")).toEqual([]);
    expect(
      parseIterations(`<!-- trainyard:iterations ${Buffer.from("{").toString("base64url")} -->`),
    ).toEqual([]);
  });
});
