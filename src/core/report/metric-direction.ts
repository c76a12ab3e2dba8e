/**
 * Which way is better for each metric: from the gates (`min`/`max_drop` guard against going down,
 * so higher is better; `max`/`max_rise` the other way) and, over them, a model's `report.direction`.
 * Pure.
 */
import type { GateSpec } from "../gates.js";

export type Direction = "higher" | "lower";

export function metricDirections(
  gates: Readonly<Record<string, GateSpec>> = {},
  declared: Readonly<Record<string, Direction>> = {},
): Record<string, Direction> {
  const out: Record<string, Direction> = {};
  for (const [metric, spec] of Object.entries(gates)) {
    const higher = spec.min !== undefined || spec.max_drop !== undefined;
    const lower = spec.max !== undefined || spec.max_rise !== undefined;
    // A gate with both (a band) says nothing about which way is better.
    if (higher !== lower) out[metric] = higher ? "higher" : "lower";
  }
  return { ...out, ...declared };
}

/** "better", "worse", or undefined when the metric has no direction or did not move. */
export function judgeChange(
  delta: number | undefined,
  direction: Direction | undefined,
): "better" | "worse" | undefined {
  if (delta === undefined || delta === 0 || !direction) return undefined;
  return delta > 0 === (direction === "higher") ? "better" : "worse";
}
