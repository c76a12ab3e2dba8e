/**
 * The whole monitoring verdict as data: per-feature drift, quality gates on live metrics, and a
 * decision `{ drifted, reasons }` that says whether to raise an issue and retrain. Pure.
 *
 * Quality gates reuse the pipeline's gate semantics (src/core/gates.ts): `min`/`max` apply to the
 * live metrics; `max_drop`/`max_rise` compare them with a baseline, normally the model's own
 * committed metrics (what it scored at training time). A gated metric missing from the live file
 * counts against the model — monitoring fails closed.
 */
import { evaluateGates, type GateEvaluation, type GateSpec } from "../gates.js";
import type { FlatRecord } from "../metrics/flatten.js";
import { computeFeatureDrift, type DriftThresholds, type FeatureDrift } from "./feature-drift.js";
import type { CsvTable } from "./parse-csv-table.js";

export interface MonitorInput {
  reference: CsvTable;
  current: CsvTable;
  thresholds: DriftThresholds;
  /** Columns to check; default every numeric column of the reference. */
  features?: readonly string[];
  gates?: Readonly<Record<string, GateSpec>>;
  /** Live quality metrics (flattened), needed when `gates` is not empty. */
  live?: { file: string; metrics: FlatRecord };
  /** Metrics the live ones are compared with for `max_drop` / `max_rise`. */
  baseline?: { file: string; metrics: FlatRecord };
}

export interface MonitorDecision {
  /** True when any feature drifted or any quality gate failed or could not be checked. */
  drifted: boolean;
  /** One line per crossed threshold, worst features first, then quality. */
  reasons: string[];
}

export interface MonitorReport {
  reference: { file: string; rows: number };
  current: { file: string; rows: number };
  thresholds: DriftThresholds;
  features: FeatureDrift[];
  quality?: { file: string; baseline?: string; evaluation: GateEvaluation };
  decision: MonitorDecision;
}

export function buildMonitorReport(input: MonitorInput): MonitorReport {
  const features = computeFeatureDrift(input.reference, input.current, input.thresholds, input.features);
  const gates = input.gates ?? {};
  let quality: MonitorReport["quality"];
  if (Object.keys(gates).length > 0) {
    const evaluation = evaluateGates(gates, input.live?.metrics, input.baseline?.metrics);
    quality = {
      file: input.live?.file ?? "(no live metrics file)",
      ...(input.baseline ? { baseline: input.baseline.file } : {}),
      evaluation,
    };
  }
  return {
    reference: { file: input.reference.file, rows: input.reference.rows.length },
    current: { file: input.current.file, rows: input.current.rows.length },
    thresholds: input.thresholds,
    features,
    ...(quality ? { quality } : {}),
    decision: decideMonitor(features, quality?.evaluation),
  };
}

export function decideMonitor(features: readonly FeatureDrift[], quality?: GateEvaluation): MonitorDecision {
  const reasons: string[] = [];
  for (const f of features) {
    if (f.drifted) reasons.push(`${f.feature}: ${f.reasons.join("; ")}`);
  }
  for (const gate of quality?.results ?? []) {
    if (gate.status !== "pass") reasons.push(`live quality: ${gate.explanation}`);
  }
  return { drifted: reasons.length > 0, reasons };
}
