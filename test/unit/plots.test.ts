import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/core/config/validate.js";
import {
  collectPlotDefinitions,
  type PlotDefinition,
  parsePlotRows,
  plotRevisionFromTexts,
  renderPlotsSection,
  resampleCurve,
} from "../../src/core/plots/index.js";
import { GITHUB_COMMENT_LIMIT, renderReport } from "../../src/core/report/index.js";
import { htmlText } from "../../src/core/trust/untrusted-text.js";
import { parseYamlWithPositions } from "../../src/core/yaml-document.js";

function config(text: string) {
  const result = validateConfig(parseYamlWithPositions(text, "trainyard.yaml", "config"));
  return result;
}

describe("plot definitions in trainyard.yaml", () => {
  it("reads bare paths, {path: props} in stages and DVC top-level plots with several files", () => {
    const { value, errors } = config(`stages:
  evaluate:
    cmd: node e.js
    plots:
      - plots/loss.csv
      - plots/roc.json: { x: fpr, y: tpr, title: ROC }
      - plots/importance.png
plots:
  - plots/loss.csv: { y: [train, val], template: smooth }
  - precision_recall:
      x: recall
      y: { plots/prc-a.json: precision, plots/prc-b.json: [precision] }
      template: linear
`);
    expect(errors).toEqual([]);
    const defs = collectPlotDefinitions(value as NonNullable<typeof value>);
    expect(defs.map((d) => [d.id, d.kind, d.template])).toEqual([
      ["plots/loss.csv", "data", "smooth"],
      ["plots/roc.json", "data", "linear"],
      ["plots/importance.png", "image", "linear"],
      ["precision_recall", "data", "linear"],
    ]);
    expect(defs[0]?.sources).toEqual([{ path: "plots/loss.csv", y: ["train", "val"] }]);
    expect(defs[1]).toMatchObject({
      title: "ROC",
      sources: [{ path: "plots/roc.json", x: "fpr", y: ["tpr"] }],
    });
    expect(defs[3]?.sources).toEqual([
      { path: "plots/prc-a.json", x: "recall", y: ["precision"] },
      { path: "plots/prc-b.json", x: "recall", y: ["precision"] },
    ]);
  });

  it("names file, line, column and key of a bad template and of an entry with two paths", () => {
    const bad = config("stages:\n  e:\n    cmd: x\n    plots:\n      - roc.csv: { template: pie }\n");
    expect(bad.errors.map((e) => e.message).join("\n")).toMatch(
      /trainyard\.yaml:5:\d+.*stages\.e\.plots\[0\]/,
    );
    const two = config("stages:\n  e:\n    cmd: x\n    plots:\n      - { a.csv: {}, b.csv: {} }\n");
    expect(two.errors.map((e) => e.message).join("\n")).toContain("exactly one path");
  });

  it("rejects a top-level plot file outside the repository", () => {
    const { errors } = config("plots:\n  - ../secrets.csv\n");
    expect(errors.map((e) => e.message).join("\n")).toMatch(/plots\[0\]/);
  });
});

describe("plot data", () => {
  it("reads a list, a mapping holding a list (DVC), CSV and TSV", () => {
    expect(parsePlotRows('[{"x":1,"y":2}]', "a.json")).toEqual([{ x: 1, y: 2 }]);
    expect(parsePlotRows('{"roc":[{"fpr":0,"tpr":0.5}]}', "a.json")).toEqual([{ fpr: 0, tpr: 0.5 }]);
    expect(parsePlotRows("step,loss\n1,0.5\n2,0.25\n", "a.csv")).toEqual([
      { step: 1, loss: 0.5 },
      { step: 2, loss: 0.25 },
    ]);
    expect(parsePlotRows("a\tb\nx\t3\n", "a.tsv")).toEqual([{ a: "x", b: 3 }]);
    expect(() => parsePlotRows('{"accuracy": 0.9}', "m.json")).toThrow(/m\.json:1:1.*list of records/);
  });

  it("samples a curve on a shared grid by linear interpolation", () => {
    const points = [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 4 },
    ];
    expect(resampleCurve(points, 0, 2, 5)).toEqual([0, 0.5, 1, 2.5, 4]);
    expect(resampleCurve(points, -1, 2, 4)).toEqual([undefined, 0, 1, 4]);
  });

  it("CSV rows survive any cell text (property)", () => {
    const safeCell = fc.stringMatching(/^[a-z][a-z ]{0,8}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(safeCell, fc.integer()), { minLength: 1, maxLength: 20 }), (rows) => {
        const text = `name,value\n${rows.map(([n, v]) => `"${n}",${v}`).join("\n")}\n`;
        const parsed = parsePlotRows(text, "t.csv");
        // Cells are trimmed, as in metrics files.
        expect(parsed.map((r) => [r.name, r.value])).toEqual(rows.map(([n, v]) => [n.trim(), v]));
      }),
    );
  });
});

describe("user text in the report", () => {
  it("in <summary> it never leaves its place: no raw tag, comment, pipe, backtick, bracket or newline (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const out = htmlText(text, 500);
        expect(out).not.toMatch(/[<>|`[\]\n\r\\*_]/);
      }),
    );
  });

  it("a hostile plot title and class name cannot close <details> or open a comment", () => {
    const hostile = "</summary></details><!-- x --> | ![a](http://e.vil) `code`";
    const definition: PlotDefinition = {
      id: "c.json",
      kind: "data",
      template: "confusion",
      title: hostile,
      sources: [{ path: "c.json", x: "actual", y: ["predicted"] }],
    };
    const rows = JSON.stringify([{ actual: hostile, predicted: "b|c" }]);
    const head = plotRevisionFromTexts([definition], { "c.json": rows });
    const out = renderPlotsSection([definition, definition], undefined, head, 60_000);
    const userFree = out.replace(/<\/?details>|<summary>|<\/summary>/g, "");
    expect(userFree).not.toMatch(/[<>]/);
    expect(out.match(/<\/details>/g)).toHaveLength(1);
    // Table rows keep their column count (label + 2 classes): no unescaped pipe from the data.
    const rowsOut = out.split("\n").filter((l) => l.startsWith("| **"));
    expect(rowsOut).toHaveLength(4);
    for (const line of rowsOut) expect(line.match(/(?<!\\)\|/g)).toHaveLength(4);
  });
});

describe("the report with many plots", () => {
  it("stays under GitHub's 65,536 characters with 20 plots of 5 series × 1,000 points, folding all but the first", () => {
    const definitions: PlotDefinition[] = Array.from({ length: 20 }, (_, i) => ({
      id: `plots/curve-${i}.csv`,
      kind: "data",
      template: "linear",
      title: `Curve ${i} ${"long title ".repeat(20)}`,
      sources: [{ path: `plots/curve-${i}.csv`, x: "x", y: ["a", "b", "c", "d", "e"] }],
    }));
    const table = (shift: number) =>
      `x,a,b,c,d,e\n${Array.from({ length: 1000 }, (_, j) => `${j},${[1, 2, 3, 4, 5].map((k) => Math.sin(j / 100 + k + shift)).join(",")}`).join("\n")}\n`;
    const files = (shift: number) => Object.fromEntries(definitions.map((d) => [d.id, table(shift)]));
    const base = plotRevisionFromTexts(definitions, files(0));
    const head = plotRevisionFromTexts(definitions, files(0.5));
    const md = renderReport({
      model: "iris",
      head: { label: "feature" },
      base: { label: "main" },
      metrics: [],
      plots: { definitions, base, head },
    });
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md).toContain("#### Plots (20 of 20 changed)");
    expect(md.match(/xychart-beta/g)?.length).toBe(20);
    expect(md.match(/<details><summary>/g)).toHaveLength(19);
  });

  it("cuts the plots section to what fits and says how many were left out", () => {
    const definitions: PlotDefinition[] = Array.from({ length: 20 }, (_, i) => ({
      id: `p${i}.csv`,
      kind: "data",
      template: "linear",
      sources: [{ path: `p${i}.csv`, x: "x", y: ["y"] }],
    }));
    const files = Object.fromEntries(definitions.map((d) => [d.id, "x,y\n0,1\n1,2\n2,0\n"]));
    const head = plotRevisionFromTexts(definitions, files);
    const out = renderPlotsSection(definitions, undefined, head, 3_000);
    expect(out.length).toBeLessThanOrEqual(3_000);
    expect(out).toMatch(/_\d+ more plots not shown/);
  });
});
