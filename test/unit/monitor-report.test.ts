/** Per-feature drift, quality gates on live metrics and the decision, on seeded synthetic tables. */
import { describe, expect, it } from "vitest";
import { buildMonitorReport, type MonitorInput, parseCsvTable } from "../../src/core/monitor/index.js";
import { csvText, seededNormal } from "../helpers/seeded-normal.js";

const thresholds = { psiMax: 0.2, ksPValueMin: 0.01, bins: 10 };
const colours = (n: number, share: number) =>
  Array.from({ length: n }, (_, i) => (i < n * share ? "red" : "blue"));

function tables(
  reference: Record<string, (number | string)[]>,
  current: Record<string, (number | string)[]>,
) {
  return {
    reference: parseCsvTable(csvText(reference), "ref.csv"),
    current: parseCsvTable(csvText(current), "cur.csv"),
    thresholds,
  };
}

describe("buildMonitorReport: drift", () => {
  const reference = { x: seededNormal(1, 500), y: seededNormal(2, 500, 10, 2), colour: colours(500, 0.5) };

  it("does not flag a sample from the same distribution (fixed seeds)", () => {
    const current = { x: seededNormal(11, 400), y: seededNormal(12, 400, 10, 2), colour: colours(400, 0.5) };
    const report = buildMonitorReport(tables(reference, current));
    expect(report.decision).toEqual({ drifted: false, reasons: [] });
    expect(report.features.map((f) => f.feature).sort()).toEqual(["x", "y"]);
    for (const f of report.features) {
      expect(f.psi).toBeLessThan(0.1);
      expect(f.ks!.pValue).toBeGreaterThan(0.05);
      expect(f.ks!.method).toBe("exact");
    }
  });

  it("flags a shifted feature by PSI and KS, lists it first, and leaves the stable one alone", () => {
    const current = {
      x: seededNormal(11, 400),
      y: seededNormal(12, 400, 11.5, 2),
      colour: colours(400, 0.5),
    };
    const report = buildMonitorReport(tables(reference, current));
    const [worst, other] = report.features;
    expect(worst!.feature).toBe("y");
    expect(worst!.drifted).toBe(true);
    expect(worst!.psi).toBeGreaterThan(0.2);
    expect(worst!.ks!.pValue).toBeLessThan(1e-10);
    expect(worst!.reasons[0]).toMatch(/^PSI [\d.]+ > 0\.2$/);
    expect(worst!.reasons[1]).toMatch(/^KS p-value .* < 0\.01 \(D = [\d.]+\)$/);
    expect(other!.drifted).toBe(false);
    expect(report.decision.drifted).toBe(true);
    expect(report.decision.reasons).toEqual([`y: ${worst!.reasons.join("; ")}`]);
  });

  it("flags a small but significant shift by KS alone when PSI stays under its threshold", () => {
    const big = { x: seededNormal(3, 3000) };
    const report = buildMonitorReport(tables(big, { x: seededNormal(4, 3000, 0.15) }));
    const [x] = report.features;
    expect(x!.psi).toBeLessThan(0.2);
    expect(x!.ks!.method).toBe("asymptotic");
    expect(x!.drifted).toBe(true);
    expect(x!.reasons).toHaveLength(1);
    expect(x!.reasons[0]).toMatch(/^KS p-value/);
  });

  it("checks a categorical feature by PSI over categories when it is listed", () => {
    const current = { x: seededNormal(11, 400), y: seededNormal(12, 400, 10, 2), colour: colours(400, 0.9) };
    const report = buildMonitorReport({ ...tables(reference, current), features: ["colour", "x"] });
    const colour = report.features.find((f) => f.feature === "colour")!;
    expect(colour.kind).toBe("categorical");
    expect(colour.ks).toBeUndefined();
    // Shares 0.5/0.5 → 0.1/0.9 (blue, red sorted): (0.1 − 0.5)·ln(0.2) + (0.9 − 0.5)·ln(1.8).
    expect(colour.psi).toBeCloseTo(-0.4 * Math.log(0.2) + 0.4 * Math.log(1.8), 9);
    expect(report.features[0]!.feature).toBe("colour");
  });

  it("reports a column missing from the current data, or emptied, as drift", () => {
    const report = buildMonitorReport(
      tables({ x: [1, 2, 3], y: [1, 2, 3] }, { x: ["", "", "NA"], z: [1, 2, 3] }),
    );
    const reasons = Object.fromEntries(report.features.map((f) => [f.feature, f.reasons]));
    expect(reasons).toEqual({
      x: ["no values in the current data"],
      y: ['column "y" is missing from the current data'],
    });
    expect(report.features.every((f) => f.psi === null && f.drifted)).toBe(true);
  });

  it("compares as categories when the current data turns a numeric column into text", () => {
    const report = buildMonitorReport(tables({ x: [1, 2, 3, 4] }, { x: [1, 2, "oops", 4] }));
    expect(report.features[0]!.kind).toBe("categorical");
    expect(report.features[0]!.drifted).toBe(true);
  });

  it("refuses a listed feature that is not a column, with a hint", () => {
    expect(() =>
      buildMonitorReport({ ...tables({ petal: [1] }, { petal: [1] }), features: ["petl"] }),
    ).toThrow(/ref\.csv:1: monitored feature "petl" is not a column; did you mean "petal"\?/);
  });
});

describe("buildMonitorReport: live quality gates", () => {
  const stable = tables({ x: seededNormal(5, 200) }, { x: seededNormal(6, 200) });
  const gated = (live: Record<string, number>, extra: Partial<MonitorInput> = {}) =>
    buildMonitorReport({
      ...stable,
      gates: { accuracy: { min: 0.85, max_drop: 0.05 } },
      live: { file: "live.json", metrics: live },
      baseline: { file: "metrics.json", metrics: { accuracy: 0.97 } },
      ...extra,
    });

  it("passes when live metrics meet min and stay within the drop from the baseline", () => {
    const report = gated({ accuracy: 0.93 });
    expect(report.quality!.evaluation.passed).toBe(true);
    expect(report.decision.drifted).toBe(false);
  });

  it("fails on a floor and on a drop against the model's own metrics", () => {
    const report = gated({ accuracy: 0.8 });
    expect(report.quality!.evaluation.results.map((r) => [r.kind, r.status])).toEqual([
      ["min", "fail"],
      ["max_drop", "fail"],
    ]);
    expect(report.decision.drifted).toBe(true);
    expect(report.decision.reasons).toEqual([
      "live quality: accuracy 0.8 is below the minimum 0.85",
      "live quality: accuracy dropped by 0.17 (0.97 → 0.8); the allowed drop is 0.05",
    ]);
  });

  it("fails closed when a gated metric is missing from the live file", () => {
    const report = gated({ f1_macro: 0.9 });
    expect(report.decision.drifted).toBe(true);
    expect(report.decision.reasons[0]).toMatch(/accuracy is missing/);
  });
});
