/**
 * Kolmogorov–Smirnov: D and p-values against hand computations and reference values from SciPy
 * 1.17.1 (`scipy.stats.ks_2samp(x, y, method=...)`, `scipy.special.kolmogorov`), computed once
 * offline on this machine and pasted here.
 */
import { describe, expect, it } from "vitest";
import {
  asymptoticKsPValue,
  exactKsPValue,
  kolmogorovSurvival,
  ksStatistic,
  ksTwoSample,
} from "../../src/core/drift/index.js";

const X = [
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09,
  -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
];
const Y = [
  2.2, 1.66, 1.38, 0.2, 0.36, 0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, 0.38, 0.7, 0.52,
  -0.71,
];

describe("ksStatistic", () => {
  it("is 1 for separated samples and 0 for identical ones", () => {
    expect(ksStatistic([1, 2, 3], [4, 5, 6])).toBe(1);
    expect(ksStatistic([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])).toBe(0);
  });

  it("matches a hand computation", () => {
    // F_ref jumps by 1/4 at 1, 2, 3, 4; F_cur by 1/2 at 2.5, 10. At x = 2: |2/4 − 0| = 0.5 is the supremum.
    expect(ksStatistic([1, 2, 3, 4], [2.5, 10])).toBe(0.5);
  });

  it("consumes tied values from both samples before comparing (SciPy: 5/12)", () => {
    // x = 3: F_ref = 6/8, F_cur = 3/9 → 0.75 − 0.3333 = 0.41667. Counting ties one side at a time would overstate D.
    expect(ksStatistic([1, 2, 2, 3, 3, 3, 4, 5], [2, 3, 3, 4, 4, 5, 5, 6, 7])).toBeCloseTo(5 / 12, 15);
    expect(ksStatistic([1, 1, 1], [1, 1])).toBe(0);
  });

  it("rejects empty samples and non-finite values", () => {
    expect(() => ksStatistic([], [1])).toThrow(/reference sample is empty/);
    expect(() => ksStatistic([1], [Number.NaN])).toThrow(/current sample holds a non-finite value/);
  });
});

describe("exact p-value", () => {
  it("equals the lattice-path count by hand: separated samples of 3 give 2 / C(6,3) = 0.1", () => {
    expect(ksTwoSample([1, 2, 3], [4, 5, 6]).pValue).toBeCloseTo(0.1, 14);
    // m = n = 2, D = 1: 2 of the C(4,2) = 6 orderings are separated.
    expect(exactKsPValue(4, 2, 2)).toBeCloseTo(2 / 6, 14);
    // m = n = 2, D = 1/2 (k = 2): every ordering reaches |i/2 − j/2| ≥ 1/2 after its first step.
    expect(exactKsPValue(2, 2, 2)).toBeCloseTo(1, 14);
  });

  it("equals brute-force enumeration of all orderings for every m, n ≤ 6 and every attainable D", () => {
    for (let m = 1; m <= 6; m++) {
      for (let n = 1; n <= 6; n++) {
        // Every ordering of m reference and n current points is a bit mask with m ones.
        const ds: number[] = [];
        for (let mask = 0; mask < 1 << (m + n); mask++) {
          let ones = 0;
          for (let b = mask; b; b >>= 1) ones += b & 1;
          if (ones !== m) continue;
          let i = 0;
          let j = 0;
          let best = 0;
          for (let bit = 0; bit < m + n; bit++) {
            if ((mask >> bit) & 1) i++;
            else j++;
            best = Math.max(best, Math.abs(i * n - j * m));
          }
          ds.push(best);
        }
        for (const k of new Set(ds)) {
          const expected = ds.filter((d) => d >= k).length / ds.length;
          expect(exactKsPValue(k, m, n), `m=${m} n=${n} k=${k}`).toBeCloseTo(expected, 12);
        }
      }
    }
  });

  it.each([
    ["25 vs 20 normal-ish", X, Y, 0.23, 0.5286364448145011],
    ["ties", [1, 2, 2, 3, 3, 3, 4, 5], [2, 3, 3, 4, 4, 5, 5, 6, 7], 0.4166666666666667, 0.35170711641299884],
    [
      "7 vs 11",
      [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5],
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      0.36363636363636365,
      0.49453242835595784,
    ],
    ["identical", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5], 0, 1],
  ])("matches SciPy ks_2samp(method='exact') for %s", (_name, x, y, d, p) => {
    const result = ksTwoSample(x, y, { method: "exact" });
    expect(result.method).toBe("exact");
    expect(result.d).toBeCloseTo(d, 14);
    expect(result.pValue).toBeCloseTo(p, 12);
  });

  it("matches SciPy on 1000 vs 1000 samples, including a small p-value (3.9587e-5)", () => {
    const i = Array.from({ length: 1000 }, (_, k) => k);
    const a = i.map((k) => Math.sin(k) * 3);
    const b = i.map((k) => Math.cos(k * 1.3) * 3 + 0.1);
    const result = ksTwoSample(a, b);
    expect(result.method).toBe("exact");
    expect(result.d).toBeCloseTo(0.104, 12);
    expect(result.pValue / 3.9587400002181794e-5).toBeCloseTo(1, 9);
  });
});

describe("asymptotic p-value (Kolmogorov distribution, Stephens' correction)", () => {
  it.each([
    [0.3, 0.9999906941986655],
    [0.5, 0.9639452436648751],
    [0.8, 0.5441424115741981],
    [1.0, 0.26999967167735456],
    [1.18, 0.1234538094297657],
    [1.2, 0.11224966667072497],
    [1.5, 0.022217962616525127],
    [2.0, 0.0006709252557796953],
    [3.0, 3.045995948942526e-8],
  ])("Q(%f) matches scipy.special.kolmogorov", (lambda, q) => {
    expect(kolmogorovSurvival(lambda) / q).toBeCloseTo(1, 12);
  });

  it("is 1 at λ ≤ 0 and tends to 1 for tiny λ", () => {
    expect(kolmogorovSurvival(0)).toBe(1);
    expect(kolmogorovSurvival(0.1)).toBe(1);
  });

  it("applies λ = (√nₑ + 0.12 + 0.11/√nₑ)·D", () => {
    // m = 25, n = 20: nₑ = 500/45, √nₑ = 3.3333…; λ = (3.33333 + 0.12 + 0.033) · 0.23 = 0.801857.
    const root = Math.sqrt(500 / 45);
    const lambda = (root + 0.12 + 0.11 / root) * 0.23;
    expect(lambda).toBeCloseTo(0.801857, 6);
    expect(asymptoticKsPValue(0.23, 25, 20)).toBe(kolmogorovSurvival(lambda));
    // Close to the exact value at this size (0.5286), and within 0.02 of it.
    expect(Math.abs(ksTwoSample(X, Y, { method: "asymptotic" }).pValue - 0.5286364448145011)).toBeLessThan(
      0.02,
    );
  });

  it("is chosen automatically for large samples and agrees with the exact method there", () => {
    const a = Array.from({ length: 1500 }, (_, k) => Math.sin(k) * 3);
    const b = Array.from({ length: 1000 }, (_, k) => Math.sin(k * 1.7) * 3 + 0.2);
    const auto = ksTwoSample(a, b);
    expect(auto.method).toBe("asymptotic");
    const exact = ksTwoSample(a, b, { method: "exact" });
    expect(auto.d).toBe(exact.d);
    expect(Math.abs(Math.log10(auto.pValue) - Math.log10(exact.pValue))).toBeLessThan(0.1);
  });
});
