import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateGates } from "../../src/core/gates.js";
import { diffRecords } from "../../src/core/metrics/index.js";
import {
  GITHUB_COMMENT_LIMIT,
  isReportFor,
  renderMetricChart,
  renderReport,
  reportMarker,
  reportModel,
} from "../../src/core/report/index.js";

const base = { accuracy: 0.95, f1: 0.9, loss: 0.2, old_only: 1 };
const head = { accuracy: 0.93, f1: 0.92, loss: 0.2, fresh: 3 };
const gates = evaluateGates({ accuracy: { min: 0.9, max_drop: 0.01 }, f1: { min: 0.5 } }, head, base);

describe("renderReport", () => {
  const report = renderReport({
    model: "iris",
    base: { label: "main", sha: "a".repeat(40) },
    head: { label: "tune-depth", sha: "b".repeat(40) },
    metrics: diffRecords("metrics.json", base, head),
    gates,
    params: diffRecords(
      "params.yaml",
      { "train.depth": 3, "train.seed": 1 },
      { "train.depth": 5, "train.seed": 1 },
      { includeUnchanged: false },
    ),
    stagesRerun: ["train", "evaluate"],
    data: [{ path: "data/raw.ty", old: "sha256:0123456789abcdef", new: "sha256:fedcba9876543210" }],
    history: [
      { version: "v1.0.0", value: 0.91, stages: [] },
      { version: "v1.1.0", value: 0.95, stages: ["production"] },
    ],
    headChartLabel: "PR #7",
  });

  it("starts with the hidden marker and a failing headline, failing gate first", () => {
    const lines = report.split("\n");
    expect(lines[0]).toBe("<!-- trainyard:report model=iris -->");
    expect(report).toContain("### ❌ `iris`: 1 of 3 gates failed");
    const failing = report.indexOf(
      "❌ **accuracy** `max_drop 0.01`: accuracy dropped by 0.02 (0.95 → 0.93); the allowed drop is 0.01",
    );
    const passing = report.indexOf("✅ **accuracy** `min 0.9`");
    expect(failing).toBeGreaterThan(0);
    expect(passing).toBeGreaterThan(failing);
  });

  it("has a metrics table with deltas, arrows and added/removed rows, gated rows first", () => {
    expect(report).toContain("| ❌ accuracy | 0.95 | 0.93 | ▼ -0.02 | -2.1% |");
    expect(report).toContain("| f1 | 0.9 | 0.92 | ▲ +0.02 | +2.2% |");
    expect(report).toContain("| fresh | — | 3 | 🆕 |  |");
    expect(report).toContain("| old_only | 1 | — | 🗑️ |  |");
    expect(report.indexOf("❌ accuracy |")).toBeLessThan(report.indexOf("| fresh |"));
  });

  it("lists params changed, stages re-run and data versions", () => {
    expect(report).toContain("| train.depth | 3 | 5 |");
    expect(report).not.toContain("train.seed");
    expect(report).toContain("#### Stages re-run\n`train`, `evaluate`");
    expect(report).toContain("| `data/raw.ty` | `0123456789ab` | `fedcba987654` |");
  });

  it("charts the main metric across versions and this PR with Mermaid xychart-beta", () => {
    expect(report).toContain(
      [
        "```mermaid",
        "xychart-beta",
        '    title "accuracy by version"',
        '    x-axis ["v1.0.0", "v1.1.0 (production)", "PR #7"]',
        '    y-axis "accuracy" 0.904 --> 0.956',
        "    line [0.91, 0.95, 0.93]",
        "```",
      ].join("\n"),
    );
  });

  it("says when the head has no metrics yet, and when no gates are configured", () => {
    expect(renderReport({ model: "m", head: { label: "x" }, metrics: [], headHasMetrics: false })).toContain(
      "### ⏳ `m`: no metrics at `x` yet",
    );
    expect(
      renderReport({ model: "m", head: { label: "x" }, metrics: diffRecords("f", {}, { a: 1 }) }),
    ).toContain("(no gates configured)");
  });

  it("escapes table-breaking characters in keys and values", () => {
    const text = renderReport({
      model: "m",
      head: { label: "x" },
      metrics: diffRecords("f", {}, { "a|b": "<script>\nx" }),
    });
    expect(text).toContain("| a\\|b | — | &lt;script&gt; x | 🆕 |  |");
  });

  it("stays under GitHub's 65,536-character limit with 50,000 metrics and says it truncated", () => {
    const many: Record<string, number> = {};
    const before: Record<string, number> = {};
    for (let i = 0; i < 50_000; i++) {
      many[`group_${i % 97}.very_long_metric_name_number_${i}`] = i / 3;
      before[`group_${i % 97}.very_long_metric_name_number_${i}`] = i / 7;
    }
    const manyGates = Object.fromEntries(
      Object.keys(many)
        .slice(0, 3000)
        .map((k) => [k, { min: 1e9 }]),
    );
    const text = renderReport({
      model: "big",
      head: { label: "h" },
      metrics: diffRecords("m.json", before, many),
      gates: evaluateGates(manyGates, many, before),
      params: diffRecords("p.yaml", before, many, { includeUnchanged: false }),
      data: Object.keys(many)
        .slice(0, 5000)
        .map((path) => ({ path, old: "sha256:1", new: "sha256:2" })),
      stagesRerun: Object.keys(many).slice(0, 5000),
    });
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(text).toMatch(/Table truncated: \d+ more metrics not shown/);
    expect(text).toMatch(/…and \d+ more gates/);
    expect(text.startsWith(reportMarker("big"))).toBe(true);
  });

  it("property: any metric set and any limit ≥ 2,000 yields a report within the limit", () => {
    const record = fc.dictionary(
      fc.string({ maxLength: 300 }),
      fc.oneof(fc.double(), fc.string({ maxLength: 500 })),
      { maxKeys: 400 },
    );
    fc.assert(
      fc.property(record, record, fc.integer({ min: 2_000, max: 70_000 }), (a, b, limit) => {
        const text = renderReport({
          model: "p",
          head: { label: "h" },
          metrics: diffRecords("m", a, b),
          limit,
        });
        expect(text.length).toBeLessThanOrEqual(limit);
        expect(isReportFor(text, "p")).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe("report marker", () => {
  it("identifies the model of a sticky comment", () => {
    const body = `${reportMarker("team/cv=resnet")}\nhello`;
    expect(reportModel(body)).toBe("team/cv=resnet");
    expect(isReportFor(body, "team/cv=resnet")).toBe(true);
    expect(isReportFor(body, "resnet")).toBe(false);
    expect(reportModel("plain comment")).toBeUndefined();
  });
});

describe("renderMetricChart", () => {
  it("drops non-finite points and pads a flat line", () => {
    const chart = renderMetricChart("acc", [
      { label: 'v"1', value: 0.5 },
      { label: "v2", value: Number.NaN },
      { label: "v3", value: 0.5 },
    ]);
    expect(chart).toContain(`x-axis ["v'1", "v3"]`);
    expect(chart).toContain('y-axis "acc" 0.475 --> 0.525');
    expect(renderMetricChart("acc", [{ label: "x", value: Number.NaN }])).toBeUndefined();
  });
});
