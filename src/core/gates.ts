/**
 * Quality gates (`models.<name>.gates` in trainyard.yaml): per metric, an absolute floor (`min`),
 * ceiling (`max`), and the largest allowed change against the base (`max_drop`, `max_rise`).
 * Pure: metric values in, one explained result per gate out.
 */
import { asNumber, type FlatRecord, type FlatValue } from "./metrics/flatten.js";
import { formatNumber } from "./metrics/format-value.js";

export interface GateSpec {
  min?: number;
  max?: number;
  max_drop?: number;
  max_rise?: number;
}

export type GateKind = keyof GateSpec;
export type GateStatus = "pass" | "fail" | "missing";

export interface GateResult {
  metric: string;
  kind: GateKind;
  threshold: number;
  status: GateStatus;
  base?: FlatValue;
  head?: FlatValue;
  /** One sentence a reviewer understands, e.g. "accuracy dropped by 0.02 (0.95 → 0.93); allowed drop is 0.01". */
  explanation: string;
}

export interface GateEvaluation {
  /** `fail` if any gate failed; else `missing` if any metric was missing at head; else `pass`. */
  status: GateStatus;
  /** True only when every gate passed: a missing metric never counts as passing. */
  passed: boolean;
  /** Failing gates first, then missing, then passing; each group in config order. */
  results: GateResult[];
}

const KINDS: readonly GateKind[] = ["min", "max", "max_drop", "max_rise"];

/** Floating-point slack so `0.95 - 0.94 ≤ 0.01` holds as a person expects. */
function slack(...values: number[]): number {
  return 1e-9 * Math.max(1, ...values.map((v) => Math.abs(v)));
}

export function evaluateGates(
  gates: Readonly<Record<string, GateSpec>>,
  head: FlatRecord | undefined,
  base?: FlatRecord,
): GateEvaluation {
  const results: GateResult[] = [];
  for (const [metric, spec] of Object.entries(gates)) {
    for (const kind of KINDS) {
      const threshold = spec[kind];
      if (threshold === undefined) continue;
      results.push(evaluateGate(metric, kind, threshold, head, base));
    }
  }
  const rank: Record<GateStatus, number> = { fail: 0, missing: 1, pass: 2 };
  const ordered = results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank[a.r.status] - rank[b.r.status] || a.i - b.i)
    .map(({ r }) => r);
  const status: GateStatus = results.some((r) => r.status === "fail")
    ? "fail"
    : results.some((r) => r.status === "missing")
      ? "missing"
      : "pass";
  return { status, passed: status === "pass", results: ordered };
}

export function evaluateGate(
  metric: string,
  kind: GateKind,
  threshold: number,
  head: FlatRecord | undefined,
  base?: FlatRecord,
): GateResult {
  const headRaw = head?.[metric];
  const baseRaw = base?.[metric];
  const result = (status: GateStatus, explanation: string): GateResult => ({
    metric,
    kind,
    threshold,
    status,
    ...(headRaw !== undefined ? { head: headRaw } : {}),
    ...(baseRaw !== undefined ? { base: baseRaw } : {}),
    explanation,
  });
  const t = formatNumber(threshold);
  if (head === undefined) return result("missing", `no metrics at head, so ${metric} cannot be checked`);
  if (headRaw === undefined || headRaw === null) {
    return result("missing", `${metric} is missing from the head metrics`);
  }
  const value = asNumber(headRaw);
  if (value === undefined) return result("fail", `${metric} is ${JSON.stringify(headRaw)}, not a number`);
  if (Number.isNaN(value)) return result("fail", `${metric} is NaN (the run produced no valid value)`);
  const v = formatNumber(value);

  if (kind === "min") {
    return value >= threshold - slack(value, threshold)
      ? result("pass", `${metric} ${v} ≥ minimum ${t}`)
      : result("fail", `${metric} ${v} is below the minimum ${t}`);
  }
  if (kind === "max") {
    return value <= threshold + slack(value, threshold)
      ? result("pass", `${metric} ${v} ≤ maximum ${t}`)
      : result("fail", `${metric} ${v} is above the maximum ${t}`);
  }

  // Relative gates compare with the base; a metric new in this change has nothing to regress from.
  const old = asNumber(baseRaw ?? undefined);
  if (old === undefined) {
    return result(
      "pass",
      `${metric} is new (no base value), so the ${kind.replace("_", " ")} check does not apply`,
    );
  }
  if (Number.isNaN(old)) {
    return result(
      "pass",
      `${metric} was NaN at the base, so the ${kind.replace("_", " ")} check does not apply`,
    );
  }
  const o = formatNumber(old);
  const change = value - old;
  if (kind === "max_drop") {
    const drop = -change;
    if (drop <= 0) {
      return result("pass", drop === 0 ? `${metric} unchanged at ${v}` : `${metric} rose ${o} → ${v}`);
    }
    return drop <= threshold + slack(old, value, threshold)
      ? result(
          "pass",
          `${metric} dropped by ${formatNumber(drop)} (${o} → ${v}), within the allowed drop ${t}`,
        )
      : result("fail", `${metric} dropped by ${formatNumber(drop)} (${o} → ${v}); the allowed drop is ${t}`);
  }
  if (change <= 0) {
    return result("pass", change === 0 ? `${metric} unchanged at ${v}` : `${metric} fell ${o} → ${v}`);
  }
  return change <= threshold + slack(old, value, threshold)
    ? result("pass", `${metric} rose by ${formatNumber(change)} (${o} → ${v}), within the allowed rise ${t}`)
    : result("fail", `${metric} rose by ${formatNumber(change)} (${o} → ${v}); the allowed rise is ${t}`);
}
