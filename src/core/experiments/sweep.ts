/**
 * Parameter sweeps for `trainyard exp run -S key=value`: each `-S` names one dotted param and one or
 * more values (`10,25,50`, `range(2,8,2)`, or a single value); the variants are the grid of every
 * combination, in a stable order (the first `-S` varies slowest). Pure.
 */
import { parse as parseYaml } from "yaml";
import { TrainyardError } from "../errors.js";

export type ParamValue = string | number | boolean | null;

export interface SweepAxis {
  key: string;
  values: ParamValue[];
}

/** One variant: dotted param key → the value it gets, in `-S` order. */
export type Overrides = readonly (readonly [string, ParamValue])[];

/** Grids larger than this are refused: a typo such as `range(0,1e9)` must not hang the machine. */
export const MAX_VARIANTS = 10_000;

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const RANGE = /^range\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*(?:,\s*([^,()]+?)\s*)?\)$/;

function usage(message: string): TrainyardError {
  return new TrainyardError("usage", message);
}

/** A YAML scalar, as the params file would read it (`10` → 10, `true` → true, `gini` → "gini"). */
function parseScalar(text: string, arg: string): ParamValue {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch {
    throw usage(`-S ${JSON.stringify(arg)}: ${JSON.stringify(text)} is not a valid value`);
  }
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value as ParamValue;
  throw usage(
    `-S ${JSON.stringify(arg)}: ${JSON.stringify(text)} must be a single value, not a list or mapping`,
  );
}

function rangeNumber(text: string, arg: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n))
    throw usage(`-S ${JSON.stringify(arg)}: ${JSON.stringify(text)} is not a number`);
  return n;
}

/** `range(start, stop[, step])` as in Python: stop excluded; step may be negative, never 0. */
function expandRange(match: RegExpExecArray, arg: string): number[] {
  const start = rangeNumber(match[1] ?? "", arg);
  const stop = rangeNumber(match[2] ?? "", arg);
  const step = match[3] === undefined ? 1 : rangeNumber(match[3], arg);
  if (step === 0) throw usage(`-S ${JSON.stringify(arg)}: the range step must not be 0`);
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > MAX_VARIANTS)
    throw usage(`-S ${JSON.stringify(arg)}: the range has ${count} values (at most ${MAX_VARIANTS})`);
  // start + i * step (not repeated addition), so 0.1 steps do not drift.
  // (0.4 - 0.1) / 0.1 is 3.0000000000000004, so the count may hold one value too many: the rounded
  // values are filtered against the stop again.
  const values = Array.from({ length: count }, (_, i) => Number((start + i * step).toPrecision(12))).filter(
    (v) => (step > 0 ? v < stop : v > stop),
  );
  if (values.length === 0) throw usage(`-S ${JSON.stringify(arg)}: the range is empty`);
  return values;
}

/** Parse one `-S key=value[,value…]` argument. */
export function parseSweepArg(arg: string): SweepAxis {
  const eq = arg.indexOf("=");
  if (eq <= 0)
    throw usage(`-S ${JSON.stringify(arg)}: expected key=value (e.g. train.n_estimators=10,25,50)`);
  const key = arg.slice(0, eq).trim();
  const spec = arg.slice(eq + 1).trim();
  if (!KEY.test(key))
    throw usage(`-S ${JSON.stringify(arg)}: ${JSON.stringify(key)} is not a dotted param key`);
  if (spec === "") throw usage(`-S ${JSON.stringify(arg)}: no value after "="`);
  const range = RANGE.exec(spec);
  if (range) return { key, values: expandRange(range, arg) };
  const parts = spec.split(",").map((p) => p.trim());
  if (parts.some((p) => p === "")) throw usage(`-S ${JSON.stringify(arg)}: an empty value in the list`);
  const values = parts.map((p) => parseScalar(p, arg));
  return { key, values: dedupe(values) };
}

function dedupe(values: readonly ParamValue[]): ParamValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const id = JSON.stringify(v);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Every combination of the axes; the same key given twice is refused. */
export function expandGrid(axes: readonly SweepAxis[]): Overrides[] {
  const keys = new Set<string>();
  for (const axis of axes) {
    if (keys.has(axis.key)) throw usage(`-S ${axis.key} is given twice; put all its values in one -S`);
    keys.add(axis.key);
  }
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  if (size > MAX_VARIANTS)
    throw usage(`the sweep has ${size} variants (at most ${MAX_VARIANTS}); use --random K`);
  let grid: Overrides[] = [[]];
  for (const axis of axes) {
    grid = grid.flatMap((prefix) => axis.values.map((v): Overrides => [...prefix, [axis.key, v]]));
  }
  return grid;
}

/** A small seeded generator (mulberry32): the same seed picks the same variants on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `k` distinct variants drawn with `seed`, kept in grid order; all of them when k ≥ the grid. */
export function sampleGrid<T>(grid: readonly T[], k: number, seed: number): T[] {
  if (!Number.isInteger(k) || k < 1) throw usage(`--random expects a whole number ≥ 1, got ${k}`);
  if (k >= grid.length) return [...grid];
  const next = seededRandom(seed);
  const indexes = grid.map((_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (indexes.length - i));
    [indexes[i], indexes[j]] = [indexes[j] as number, indexes[i] as number];
  }
  return indexes
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => grid[i] as T);
}
