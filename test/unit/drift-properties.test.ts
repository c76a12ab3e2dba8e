/** Invariants of the drift statistics over random samples (fast-check). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { categoricalPsi, ksStatistic, ksTwoSample, numericPsi } from "../../src/core/drift/index.js";

// Small integers give many ties, the tricky case for both statistics.
const value = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
const sample = fc.array(value, { minLength: 1, maxLength: 60 });
const bins = fc.integer({ min: 2, max: 20 });

describe("drift statistic properties", () => {
  it("PSI ≥ 0, and PSI(x, x) = 0", () => {
    fc.assert(
      fc.property(sample, sample, bins, (a, b, k) => {
        expect(numericPsi(a, b, { bins: k }).psi).toBeGreaterThanOrEqual(0);
        expect(numericPsi(a, a, { bins: k }).psi).toBe(0);
      }),
    );
  });

  it("bin proportions each sum to 1", () => {
    fc.assert(
      fc.property(sample, sample, bins, (a, b, k) => {
        const { bins: out } = numericPsi(a, b, { bins: k });
        expect(out.reduce((s, x) => s + x.reference, 0)).toBeCloseTo(1, 9);
        expect(out.reduce((s, x) => s + x.current, 0)).toBeCloseTo(1, 9);
      }),
    );
  });

  it("categorical PSI ≥ 0 and 0 on the same sample", () => {
    const cats = fc.array(fc.constantFrom("a", "b", "c", "d"), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(cats, cats, (a, b) => {
        expect(categoricalPsi(a, b).psi).toBeGreaterThanOrEqual(0);
        expect(categoricalPsi(a, a).psi).toBe(0);
      }),
    );
  });

  it("0 ≤ D ≤ 1, D is symmetric, D(x, x) = 0, and 0 ≤ p ≤ 1 for both methods", () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const d = ksStatistic(a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(ksStatistic(b, a)).toBe(d);
        expect(ksStatistic(a, a)).toBe(0);
        for (const method of ["exact", "asymptotic"] as const) {
          const { pValue } = ksTwoSample(a, b, { method });
          expect(pValue).toBeGreaterThanOrEqual(0);
          expect(pValue).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it("the exact p-value is symmetric in the samples and does not grow with D", () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = ksTwoSample(a, b, { method: "exact" });
        expect(ksTwoSample(b, a, { method: "exact" }).pValue).toBeCloseTo(ab.pValue, 12);
        // Shifting b far away makes D = 1, the most extreme value: its p-value is the smallest.
        const far = b.map((v) => v + 1e7);
        expect(ksTwoSample(a, far, { method: "exact" }).pValue).toBeLessThanOrEqual(ab.pValue + 1e-12);
      }),
    );
  });
});
