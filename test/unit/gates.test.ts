import { describe, expect, it } from "vitest";
import { evaluateGate, evaluateGates } from "../../src/core/gates.js";

describe("evaluateGates", () => {
  const gates = { accuracy: { min: 0.9, max_drop: 0.01 }, latency_ms: { max: 50, max_rise: 5 } };

  it("passes when every gate holds and explains each", () => {
    const result = evaluateGates(
      gates,
      { accuracy: 0.95, latency_ms: 40 },
      { accuracy: 0.955, latency_ms: 38 },
    );
    expect(result.status).toBe("pass");
    expect(result.passed).toBe(true);
    expect(result.results.map((r) => r.explanation)).toEqual([
      "accuracy 0.95 ≥ minimum 0.9",
      "accuracy dropped by 0.005 (0.955 → 0.95), within the allowed drop 0.01",
      "latency_ms 40 ≤ maximum 50",
      "latency_ms rose by 2 (38 → 40), within the allowed rise 5",
    ]);
  });

  it("lists failing gates first with reviewer-readable reasons", () => {
    const result = evaluateGates(
      gates,
      { accuracy: 0.93, latency_ms: 40 },
      { accuracy: 0.95, latency_ms: 40 },
    );
    expect(result.status).toBe("fail");
    expect(result.results[0]).toMatchObject({
      metric: "accuracy",
      kind: "max_drop",
      status: "fail",
      base: 0.95,
      head: 0.93,
    });
    expect(result.results[0]?.explanation).toBe(
      "accuracy dropped by 0.02 (0.95 → 0.93); the allowed drop is 0.01",
    );
  });

  it("counts a drop exactly at the limit as passing despite floating point", () => {
    expect(evaluateGate("a", "max_drop", 0.01, { a: 0.94 }, { a: 0.95 }).status).toBe("pass");
    expect(evaluateGate("a", "min", 0.3, { a: 0.1 + 0.2 }).status).toBe("pass");
  });

  it("equal values pass every relative gate, even a zero allowance", () => {
    const r = evaluateGate("a", "max_drop", 0, { a: 0.9 }, { a: 0.9 });
    expect(r).toMatchObject({ status: "pass", explanation: "a unchanged at 0.9" });
    expect(evaluateGate("a", "max_rise", 0, { a: 0.9 }, { a: 0.9 }).status).toBe("pass");
  });

  it("a metric missing at head is 'missing' and the evaluation does not pass", () => {
    const result = evaluateGates({ f1: { min: 0.5 } }, { accuracy: 1 });
    expect(result.status).toBe("missing");
    expect(result.passed).toBe(false);
    expect(result.results[0]?.explanation).toBe("f1 is missing from the head metrics");
    expect(evaluateGates({ f1: { min: 0.5 } }, undefined).results[0]?.explanation).toMatch(
      /no metrics at head/,
    );
  });

  it("NaN at head fails; NaN at base skips the relative check", () => {
    expect(evaluateGate("a", "min", 0.5, { a: Number.NaN })).toMatchObject({ status: "fail" });
    expect(evaluateGate("a", "min", 0.5, { a: Number.NaN }).explanation).toMatch(/NaN/);
    expect(evaluateGate("a", "max_drop", 0.01, { a: 0.5 }, { a: Number.NaN })).toMatchObject({
      status: "pass",
    });
  });

  it("a new metric (absent at base) passes relative gates but still meets absolute ones", () => {
    const result = evaluateGates({ recall: { min: 0.8, max_drop: 0.01 } }, { recall: 0.7 }, {});
    expect(result.results.map((r) => [r.kind, r.status])).toEqual([
      ["min", "fail"],
      ["max_drop", "pass"],
    ]);
    expect(result.results[1]?.explanation).toBe(
      "recall is new (no base value), so the max drop check does not apply",
    );
  });

  it("a non-numeric value fails with what it was", () => {
    expect(evaluateGate("a", "max", 1, { a: "high" }).explanation).toBe('a is "high", not a number');
  });
});
