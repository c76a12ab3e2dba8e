/** "Did you mean …?" hints for misspelt keys and names. */
import { closest, distance } from "fastest-levenshtein";

/** The closest candidate, when it is close enough to be a plausible typo. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(input, [...candidates]);
  const limit = Math.max(2, Math.floor(input.length / 3));
  return distance(input.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

export function didYouMean(input: string, candidates: readonly string[]): string {
  const best = suggest(input, candidates);
  return best === undefined ? "" : `; did you mean "${best}"?`;
}
