/** One benchmark figure: our measurement against a baseline measured in the same run. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  /** value / baseline (the goal says which direction is better) */
  ratio: number;
  goal: string;
  met: boolean;
}

export interface BenchModule {
  name: string;
  run(options: { quick: boolean; log: (line: string) => void }): Promise<BenchFigure[]>;
}

export function printFigure(f: BenchFigure): string {
  const fmt = (n: number) =>
    Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3);
  const verdict = f.goal === "info" ? "" : f.met ? ", met" : ", MISSED";
  return `${f.name}: ours ${fmt(f.value)} ${f.unit}, baseline ${fmt(f.baseline)} ${f.unit}, ratio ${f.ratio.toFixed(2)} (goal ${f.goal}${verdict})`;
}

/** Median of a few timings: robust to one slow run on a shared machine. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
