/** Human formatting of metric values and deltas, shared by the CLI table and the PR report. Pure. */
import type { FlatValue } from "./flatten.js";

/** Up to 4 significant decimals, no trailing zeros; NaN and infinities spelled out. */
export function formatValue(value: FlatValue | undefined, decimals = 4): string {
  if (value === undefined) return "—";
  if (value === null) return "null";
  if (typeof value === "number") return formatNumber(value, decimals);
  return String(value);
}

export function formatNumber(n: number, decimals = 4): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "∞" : "−∞";
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 10 ** -decimals || abs >= 1e9)) return n.toExponential(3);
  return String(Number(n.toFixed(decimals)));
}

export function formatDelta(delta: number | undefined, decimals = 4): string {
  if (delta === undefined) return "";
  if (delta === 0) return "0";
  const text = formatNumber(delta, decimals);
  return delta > 0 ? `+${text}` : text;
}

export function formatRelative(relative: number | undefined): string {
  if (relative === undefined || !Number.isFinite(relative)) return "";
  const pct = relative * 100;
  const text = Math.abs(pct) >= 100 ? pct.toFixed(0) : Math.abs(pct) >= 1 ? pct.toFixed(1) : pct.toFixed(2);
  return `${pct > 0 ? "+" : ""}${text}%`;
}
