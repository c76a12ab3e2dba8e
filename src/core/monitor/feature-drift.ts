/**
 * Drift of every monitored feature between a reference and a current table. Numeric features get
 * PSI (reference-quantile bins) and the two-sample KS test; categorical ones get PSI over their
 * categories. A feature drifts when PSI > psi_max or the KS p-value < ks_pvalue_min, or when it
 * cannot be compared at all (column or values missing from the current data).
 */
import { didYouMean } from "../config/did-you-mean.js";
import { categoricalPsi, type KsMethod, ksTwoSample, numericPsi, type PsiBin } from "../drift/index.js";
import { TrainyardError } from "../errors.js";
import { formatNumber } from "../metrics/format-value.js";
import { columnCells, numericColumns, readColumn } from "./column-values.js";
import type { CsvTable } from "./parse-csv-table.js";

export interface DriftThresholds {
  psiMax: number;
  ksPValueMin: number;
  bins: number;
}

export interface FeatureDrift {
  feature: string;
  kind: "numeric" | "categorical";
  /** null when the feature could not be compared (see `reasons`). */
  psi: number | null;
  ks?: { d: number; pValue: number; method: KsMethod };
  reference: { count: number; missing: number };
  current: { count: number; missing: number };
  drifted: boolean;
  reasons: string[];
  bins: PsiBin[];
}

/**
 * `features` (from config) are checked as listed and must exist in the reference; by default
 * every numeric column of the reference is checked. Results come worst first.
 */
export function computeFeatureDrift(
  reference: CsvTable,
  current: CsvTable,
  thresholds: DriftThresholds,
  features?: readonly string[],
): FeatureDrift[] {
  const names = features && features.length > 0 ? [...features] : numericColumns(reference);
  if (names.length === 0) {
    throw new TrainyardError(
      "data",
      "no numeric columns to monitor; list the columns under monitor.features",
      {
        file: reference.file,
      },
    );
  }
  for (const name of names) {
    if (!reference.columns.includes(name)) {
      throw new TrainyardError(
        "data",
        `monitored feature "${name}" is not a column${didYouMean(name, reference.columns)} (columns: ${reference.columns.join(", ")})`,
        { file: reference.file, line: 1 },
      );
    }
  }
  return names.map((name) => featureDrift(name, reference, current, thresholds)).sort(worstFirst);
}

function featureDrift(
  name: string,
  reference: CsvTable,
  current: CsvTable,
  t: DriftThresholds,
): FeatureDrift {
  const refCells = columnCells(reference, name)!;
  const curCells = columnCells(current, name);
  let ref = readColumn(refCells);
  const base = { feature: name, kind: ref.kind, psi: null, bins: [], drifted: true };
  if (curCells === undefined) {
    return {
      ...base,
      reference: { count: ref.values.length, missing: ref.missing },
      current: { count: 0, missing: 0 },
      reasons: [`column "${name}" is missing from the current data`],
    };
  }
  let cur = readColumn(curCells);
  // Compare like with like: if either side is not all-numeric, compare both as categories.
  if (ref.kind !== cur.kind) {
    ref = readColumn(refCells, true);
    cur = readColumn(curCells, true);
  }
  const counts = {
    reference: { count: ref.values.length, missing: ref.missing },
    current: { count: cur.values.length, missing: cur.missing },
  };
  if (ref.values.length === 0 || cur.values.length === 0) {
    const side = ref.values.length === 0 ? "reference" : "current";
    return { ...base, kind: ref.kind, ...counts, reasons: [`no values in the ${side} data`] };
  }
  const reasons: string[] = [];
  let result: Pick<FeatureDrift, "psi" | "bins" | "ks">;
  if (ref.kind === "numeric" && cur.kind === "numeric") {
    const psi = numericPsi(ref.values, cur.values, { bins: t.bins });
    const ks = ksTwoSample(ref.values, cur.values);
    result = { psi: psi.psi, bins: psi.bins, ks: { d: ks.d, pValue: ks.pValue, method: ks.method } };
    if (ks.pValue < t.ksPValueMin) {
      reasons.push(
        `KS p-value ${formatNumber(ks.pValue)} < ${formatNumber(t.ksPValueMin)} (D = ${formatNumber(ks.d)})`,
      );
    }
  } else {
    const psi = categoricalPsi(ref.values as string[], cur.values as string[]);
    result = { psi: psi.psi, bins: psi.bins };
  }
  if (result.psi! > t.psiMax) reasons.unshift(`PSI ${formatNumber(result.psi!)} > ${formatNumber(t.psiMax)}`);
  return { feature: name, kind: ref.kind, ...result, ...counts, drifted: reasons.length > 0, reasons };
}

/** Drifted first; then highest PSI; then lowest KS p-value; then by name for a stable order. */
function worstFirst(a: FeatureDrift, b: FeatureDrift): number {
  if (a.drifted !== b.drifted) return a.drifted ? -1 : 1;
  const psi = (b.psi ?? Number.POSITIVE_INFINITY) - (a.psi ?? Number.POSITIVE_INFINITY);
  if (psi !== 0 && !Number.isNaN(psi)) return psi;
  const p = (a.ks?.pValue ?? 1) - (b.ks?.pValue ?? 1);
  if (p !== 0) return p;
  return a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0;
}
