/** `exp diff A B`: the params and metrics on which two experiments differ, with numeric deltas. Pure. */
import { asNumber, type FlatValue } from "../metrics/flatten.js";
import type { ExperimentRow, ExperimentTable } from "./build-table.js";

export interface ExperimentDifference {
  kind: "param" | "metric";
  key: string;
  a: FlatValue | null;
  b: FlatValue | null;
  /** b − a when both are numbers. */
  delta: number | null;
}

export function diffExperiments(
  table: ExperimentTable,
  a: ExperimentRow,
  b: ExperimentRow,
): ExperimentDifference[] {
  const out: ExperimentDifference[] = [];
  const add = (
    kind: ExperimentDifference["kind"],
    key: string,
    av: FlatValue | undefined,
    bv: FlatValue | undefined,
  ) => {
    if (Object.is(av, bv)) return;
    const an = asNumber(av);
    const bn = asNumber(bv);
    out.push({
      kind,
      key,
      a: av ?? null,
      b: bv ?? null,
      delta: an !== undefined && bn !== undefined ? bn - an : null,
    });
  };
  for (const key of table.paramKeys) add("param", key, a.params[key], b.params[key]);
  for (const key of table.metricKeys) add("metric", key, a.metrics[key], b.metrics[key]);
  return out;
}
