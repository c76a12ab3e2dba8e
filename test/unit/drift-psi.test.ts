/**
 * Population Stability Index against hand computations and a NumPy re-implementation of the same
 * convention (type-7 reference quantiles, right-closed bins, ε = 1e-4 for empty bins).
 */
import { describe, expect, it } from "vitest";
import { categoricalPsi, numericPsi, PSI_EPSILON, quantileEdges } from "../../src/core/drift/index.js";

const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe("quantileEdges", () => {
  it("interpolates reference quantiles like NumPy's default", () => {
    expect(quantileEdges(ten, 2)).toEqual([5.5]);
    expect(quantileEdges(ten, 4)).toEqual([3.25, 5.5, 7.75]);
  });

  it("drops duplicate edges on heavy ties", () => {
    const edges = quantileEdges([1, 1, 1, 1, 1, 1, 1, 1, 2, 3], 10);
    expect(edges).toHaveLength(3);
    for (const [i, e] of [1, 1.2, 2.1].entries()) expect(edges[i]).toBeCloseTo(e, 12);
    expect(quantileEdges([4, 4, 4], 5)).toEqual([4]);
  });

  it("rejects fewer than 2 bins", () => {
    expect(() => quantileEdges(ten, 1)).toThrow(/bins must be an integer ≥ 2/);
  });
});

describe("numericPsi", () => {
  it("matches a hand computation with two bins", () => {
    // Edge 5.5: reference 5/10 | 5/10; current [1,2,3,6,7,8,9,10] → 3/8 | 5/8.
    const { psi, bins } = numericPsi(ten, [1, 2, 3, 6, 7, 8, 9, 10], { bins: 2 });
    const expected = (0.375 - 0.5) * Math.log(0.375 / 0.5) + (0.625 - 0.5) * Math.log(0.625 / 0.5);
    expect(psi).toBeCloseTo(expected, 15);
    expect(psi).toBeCloseTo(0.063853, 6);
    expect(bins).toEqual([
      { label: "≤ 5.5", reference: 0.5, current: 0.375 },
      { label: "> 5.5", reference: 0.5, current: 0.625 },
    ]);
  });

  it("replaces an empty bin's proportion by ε", () => {
    const { psi } = numericPsi(ten, [6, 7, 8], { bins: 2 });
    const expected = (PSI_EPSILON - 0.5) * Math.log(PSI_EPSILON / 0.5) + (1 - 0.5) * Math.log(1 / 0.5);
    expect(psi).toBeCloseTo(expected, 12);
    expect(psi).toBeCloseTo(4.604319, 5);
  });

  it("puts values equal to an edge in the lower bin (right-closed) and outliers in the outer bins", () => {
    const { bins } = numericPsi(ten, [5.5, 5.5, -100, 100], { bins: 2 });
    expect(bins.map((b) => b.current)).toEqual([0.75, 0.25]);
  });

  it("matches NumPy for 200 vs 200 values with 10 bins (0.5399505997319745)", () => {
    // np.quantile(ref, k/10), np.searchsorted(edges, x, side='left'), zero proportions → 1e-4.
    const i = Array.from({ length: 200 }, (_, k) => k);
    const round3 = (v: number) => Math.round(v * 1000) / 1000;
    const ref = i.map((k) => round3(Math.sin(k * 0.7) * 2 + 5));
    const cur = i.map((k) => round3(Math.sin(k * 1.1) * 2.5 + 5.6));
    expect(numericPsi(ref, cur).psi).toBeCloseTo(0.5399505997319745, 12);
  });

  it("uses a single bin when the reference is constant and flags any spread", () => {
    expect(numericPsi([3, 3, 3], [3, 3]).psi).toBe(0);
    expect(numericPsi([3, 3, 3], [3, 4]).psi).toBeGreaterThan(0.2);
  });

  it("rejects empty or non-finite samples", () => {
    expect(() => numericPsi([], [1])).toThrow(/reference sample is empty/);
    expect(() => numericPsi([1, 2], [Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
  });
});

describe("categoricalPsi", () => {
  it("compares category shares, including categories seen on one side only", () => {
    const { psi, bins } = categoricalPsi(["a", "a", "b", "b"], ["a", "b", "b", "c"]);
    expect(bins).toEqual([
      { label: "a", reference: 0.5, current: 0.25 },
      { label: "b", reference: 0.5, current: 0.5 },
      { label: "c", reference: 0, current: 0.25 },
    ]);
    const expected =
      (0.25 - 0.5) * Math.log(0.25 / 0.5) + (0.25 - PSI_EPSILON) * Math.log(0.25 / PSI_EPSILON);
    expect(psi).toBeCloseTo(expected, 12);
  });

  it("is 0 for the same shares in a different order and size", () => {
    expect(categoricalPsi(["x", "y"], ["y", "x", "y", "x"]).psi).toBe(0);
  });
});
