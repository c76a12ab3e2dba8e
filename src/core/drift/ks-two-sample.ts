/**
 * Two-sample Kolmogorov–Smirnov test: D = sup_x |F_ref(x) − F_cur(x)| over the empirical CDFs,
 * and its two-sided p-value.
 *
 * Ties: all copies of a value (in either sample) are consumed before the CDFs are compared, so D
 * is the true supremum of the step functions, as in SciPy. The p-values assume continuous data;
 * with ties they are conservative (too large), the usual and documented behaviour.
 *
 * p-value method (`auto`): exact when m·n ≤ EXACT_MAX_PRODUCT (≤ ~10 ms here), otherwise the
 * asymptotic Kolmogorov distribution with Stephens' correction (see kolmogorov.ts).
 */
import { asymptoticKsPValue, exactKsPValue } from "./kolmogorov.js";
import { sortedSample } from "./sample.js";

export const EXACT_MAX_PRODUCT = 1_000_000;

export type KsMethod = "exact" | "asymptotic";

export interface KsResult {
  /** The statistic D in [0, 1]. */
  d: number;
  pValue: number;
  method: KsMethod;
  /** Sample sizes (reference, current). */
  m: number;
  n: number;
}

/** D as an exact fraction numerator / (m·n), from two sorted samples. */
function ksNumerator(a: Float64Array, b: Float64Array): number {
  const m = a.length;
  const n = b.length;
  let i = 0;
  let j = 0;
  let best = 0;
  while (i < m && j < n) {
    const v = Math.min(a[i]!, b[j]!);
    while (i < m && a[i] === v) i++;
    while (j < n && b[j] === v) j++;
    const gap = Math.abs(i * n - j * m);
    if (gap > best) best = gap;
  }
  return best;
}

export function ksStatistic(reference: readonly number[], current: readonly number[]): number {
  const a = sortedSample(reference, "reference");
  const b = sortedSample(current, "current");
  return ksNumerator(a, b) / (a.length * b.length);
}

export function ksTwoSample(
  reference: readonly number[],
  current: readonly number[],
  options: { method?: KsMethod | "auto" } = {},
): KsResult {
  const a = sortedSample(reference, "reference");
  const b = sortedSample(current, "current");
  const m = a.length;
  const n = b.length;
  const k = ksNumerator(a, b);
  const d = k / (m * n);
  const wanted = options.method ?? "auto";
  const method: KsMethod = wanted === "auto" ? (m * n <= EXACT_MAX_PRODUCT ? "exact" : "asymptotic") : wanted;
  const pValue = method === "exact" ? exactKsPValue(k, m, n) : asymptoticKsPValue(d, m, n);
  return { d, pValue, method, m, n };
}
