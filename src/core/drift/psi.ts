/**
 * Population Stability Index: PSI = Σ (c_i − r_i) · ln(c_i / r_i) over bins, where r_i and c_i
 * are the reference and current proportions in bin i. Each term is ≥ 0 (the difference and the
 * log share their sign), so PSI ≥ 0, and PSI = 0 when both samples fill the bins alike.
 * Rule of thumb: < 0.1 stable, 0.1–0.2 moderate shift, > 0.2 significant shift.
 *
 * Conventions (stated because PSI values depend on them):
 * - Numeric bins come from the reference's quantiles at k/bins (type 7 interpolation), with
 *   duplicate edges dropped, so heavy ties give fewer, wider bins. Bins are right-closed:
 *   (−∞, e1], (e1, e2], …, (e_last, +∞); current values outside the reference range land in the
 *   outer bins.
 * - An empty bin's proportion (0) is replaced by ε = 1e-4 before the log, without renormalising
 *   the others; non-empty bins keep their exact proportion.
 */
import { quantileSorted, sortedSample } from "./sample.js";

export const PSI_EPSILON = 1e-4;
export const DEFAULT_PSI_BINS = 10;

export interface PsiBin {
  /** Bin label: `≤ 5.1`, `(5.1, 5.8]`, `> 6.4` for numbers; the category for categorical data. */
  label: string;
  reference: number;
  current: number;
}

export interface PsiResult {
  psi: number;
  bins: PsiBin[];
}

export interface PsiOptions {
  bins?: number;
  epsilon?: number;
}

/** Reference-quantile bin edges (strictly increasing, possibly fewer than bins − 1). */
export function quantileEdges(reference: readonly number[], bins = DEFAULT_PSI_BINS): number[] {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`bins must be an integer ≥ 2, got ${bins}`);
  const sorted = sortedSample(reference, "reference");
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = quantileSorted(sorted, k / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return edges;
}

/** Index of the right-closed bin holding `value`: the number of edges strictly below it. */
function binIndex(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function numericPsi(
  reference: readonly number[],
  current: readonly number[],
  options: PsiOptions = {},
): PsiResult {
  const edges = quantileEdges(reference, options.bins ?? DEFAULT_PSI_BINS);
  if (current.length === 0) throw new RangeError("current sample is empty");
  if (!current.every(Number.isFinite)) throw new RangeError("current sample holds a non-finite value");
  const refCounts = countInto(edges, reference);
  const curCounts = countInto(edges, current);
  const labels = edges.length === 0 ? ["all"] : binLabels(edges);
  return psiFromCounts(labels, refCounts, curCounts, options.epsilon ?? PSI_EPSILON);
}

/** PSI over categories (the union of both samples' values, sorted), for non-numeric columns. */
export function categoricalPsi(
  reference: readonly string[],
  current: readonly string[],
  options: PsiOptions = {},
): PsiResult {
  if (reference.length === 0) throw new RangeError("reference sample is empty");
  if (current.length === 0) throw new RangeError("current sample is empty");
  const categories = [...new Set([...reference, ...current])].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const count = (values: readonly string[]) => {
    const counts = new Array<number>(categories.length).fill(0);
    for (const v of values) counts[index.get(v)!]! += 1;
    return counts;
  };
  return psiFromCounts(categories, count(reference), count(current), options.epsilon ?? PSI_EPSILON);
}

export function psiFromCounts(
  labels: readonly string[],
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
  epsilon = PSI_EPSILON,
): PsiResult {
  const refTotal = referenceCounts.reduce((a, b) => a + b, 0);
  const curTotal = currentCounts.reduce((a, b) => a + b, 0);
  let psi = 0;
  const bins = labels.map((label, i) => {
    const r = referenceCounts[i]! / refTotal;
    const c = currentCounts[i]! / curTotal;
    const rs = r === 0 ? epsilon : r;
    const cs = c === 0 ? epsilon : c;
    psi += (cs - rs) * Math.log(cs / rs);
    return { label, reference: r, current: c };
  });
  return { psi, bins };
}

function countInto(edges: readonly number[], values: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) counts[binIndex(edges, v)]! += 1;
  return counts;
}

function binLabels(edges: readonly number[]): string[] {
  const f = (v: number) => String(Number(v.toPrecision(6)));
  const labels = [`≤ ${f(edges[0]!)}`];
  for (let i = 1; i < edges.length; i++) labels.push(`(${f(edges[i - 1]!)}, ${f(edges[i]!)}]`);
  labels.push(`> ${f(edges[edges.length - 1]!)}`);
  return labels;
}
