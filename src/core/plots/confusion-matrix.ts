/**
 * A confusion matrix from DVC-style rows (one record per prediction: `{actual, predicted}`):
 * counts per (actual, predicted) pair, or per-row fractions for `confusion_normalized`. Pure.
 */
import type { PlotRow } from "./parse-plot-data.js";

export interface ConfusionMatrix {
  /** Class labels, sorted, of both axes. */
  labels: string[];
  /** cells[actual][predicted] */
  cells: Record<string, Record<string, number>>;
}

export function confusionMatrix(
  rows: readonly PlotRow[],
  actualColumn: string,
  predictedColumn: string,
  normalized: boolean,
): ConfusionMatrix {
  const cells: Record<string, Record<string, number>> = {};
  const labels = new Set<string>();
  for (const row of rows) {
    const actual = row[actualColumn];
    const predicted = row[predictedColumn];
    if (actual === undefined || predicted === undefined) continue;
    const a = String(actual);
    const p = String(predicted);
    labels.add(a);
    labels.add(p);
    const line = cells[a] ?? {};
    cells[a] = line;
    line[p] = (line[p] ?? 0) + 1;
  }
  if (normalized) {
    for (const line of Object.values(cells)) {
      const total = Object.values(line).reduce((sum, n) => sum + n, 0);
      for (const key of Object.keys(line)) line[key] = (line[key] ?? 0) / total;
    }
  }
  return { labels: [...labels].sort(), cells };
}

export function cellValue(matrix: ConfusionMatrix | undefined, actual: string, predicted: string): number {
  return matrix?.cells[actual]?.[predicted] ?? 0;
}
