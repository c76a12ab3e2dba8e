/** Shared checks for drift statistics: samples are non-empty lists of finite numbers. */

/** A sorted copy of `values`, after checking every value is a finite number. */
export function sortedSample(values: readonly number[], label: string): Float64Array {
  if (values.length === 0) throw new RangeError(`${label} sample is empty`);
  const out = Float64Array.from(values);
  for (const v of out) {
    if (!Number.isFinite(v)) throw new RangeError(`${label} sample holds a non-finite value (${v})`);
  }
  return out.sort();
}

/**
 * Quantile of a sorted sample by linear interpolation between order statistics (Hyndman & Fan
 * type 7, the default of R and NumPy), so bin edges match what a data scientist computes.
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (position - lower);
}
