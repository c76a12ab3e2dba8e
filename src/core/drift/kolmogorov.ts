/**
 * Null distributions of the two-sample Kolmogorov–Smirnov statistic D for samples of sizes m, n.
 *
 * - `exactKsPValue`: P(D ≥ d) under the null hypothesis for continuous data, by walking the
 *   lattice of merged sample orderings (Hodges 1957): every ordering of the m + n points is
 *   equally likely, so a path from (0, 0) to (m, n) steps right with probability (m − i) / (m + n − i − j). The p-value
 *   is the probability mass that touches a cell with |i/m − j/n| ≥ d. Probabilities (not path
 *   counts) keep it free of overflow; absorbing mass directly keeps tiny p-values accurate.
 *   The same definition as SciPy's `ks_2samp(method="exact")`. O(m·n) time, O(n) memory.
 * - `asymptoticKsPValue`: the Kolmogorov limit Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²) with Stephens'
 *   small-sample correction λ = (√nₑ + 0.12 + 0.11/√nₑ) · D, nₑ = m·n/(m + n)
 *   (Stephens 1970; Numerical Recipes' `kstwo`).
 */

/** Q(λ) = P(K > λ) for the Kolmogorov distribution K. */
export function kolmogorovSurvival(lambda: number): number {
  if (Number.isNaN(lambda)) return Number.NaN;
  if (lambda <= 0) return 1;
  // For small λ the alternating series converges slowly; the Jacobi-theta form converges fast there:
  // P(K ≤ λ) = (√(2π)/λ) Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)).
  if (lambda < 1.18) {
    const w = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let cdf = 0;
    for (let k = 1; k <= 20; k++) {
      const term = Math.exp(-(2 * k - 1) * (2 * k - 1) * w);
      cdf += term;
      if (term < 1e-17 * cdf) break;
    }
    return clamp01(1 - (Math.sqrt(2 * Math.PI) / lambda) * cdf);
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17 * sum) break;
  }
  return clamp01(2 * sum);
}

export function asymptoticKsPValue(d: number, m: number, n: number): number {
  const ne = (m * n) / (m + n);
  const root = Math.sqrt(ne);
  return kolmogorovSurvival((root + 0.12 + 0.11 / root) * d);
}

/**
 * Exact P(D ≥ d) where d = k / (m·n): `k` is the integer numerator max |i·n − j·m| seen in the
 * data, which keeps the boundary test exact in integers.
 */
export function exactKsPValue(k: number, m: number, n: number): number {
  if (k <= 0) return 1;
  // Row over j for the current i; row[j] = probability of reaching (i, j) without touching the boundary.
  let row = new Float64Array(n + 1);
  let next = new Float64Array(n + 1);
  let absorbed = 0;
  row[0] = 1;
  for (let j = 1; j <= n; j++) {
    const reach = row[j - 1]! * ((n - j + 1) / (m + n - j + 1));
    if (Math.abs(j * m) >= k) {
      absorbed += reach;
      row[j] = 0;
    } else row[j] = reach;
  }
  for (let i = 1; i <= m; i++) {
    for (let j = 0; j <= n; j++) {
      const remaining = m + n - i - j + 1;
      let reach = row[j]! * ((m - i + 1) / remaining);
      if (j > 0) reach += next[j - 1]! * ((n - j + 1) / remaining);
      if (Math.abs(i * n - j * m) >= k) {
        absorbed += reach;
        next[j] = 0;
      } else next[j] = reach;
    }
    [row, next] = [next, row];
  }
  return clamp01(absorbed);
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
