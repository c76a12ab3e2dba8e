/**
 * Compare two flat metric (or params) records: old, new, absolute delta, relative change, and
 * whether the key was added, removed, changed or unchanged. Pure.
 */
import { asNumber, type FlatRecord, type FlatValue } from "./flatten.js";

export type DiffStatus = "added" | "removed" | "changed" | "unchanged";

export interface DiffRow {
  /** File the key came from (metrics and params may come from several files). */
  file: string;
  key: string;
  old?: FlatValue;
  new?: FlatValue;
  /** new − old, when both are numbers. */
  delta?: number;
  /** (new − old) / |old|, when both are numbers and old ≠ 0. */
  relative?: number;
  status: DiffStatus;
}

/** Flat records per file name; a file absent on one side is `undefined` there. */
export type FilesRecord = Record<string, FlatRecord | undefined>;

export interface DiffOptions {
  /** Keep unchanged rows (default true for metrics; params diffs usually want only changes). */
  includeUnchanged?: boolean;
}

/** Diff every file that exists on either side; rows sorted by file then key. */
export function diffFiles(
  oldFiles: FilesRecord,
  newFiles: FilesRecord,
  options: DiffOptions = {},
): DiffRow[] {
  const files = [...new Set([...Object.keys(oldFiles), ...Object.keys(newFiles)])].sort();
  return files.flatMap((file) => diffRecords(file, oldFiles[file], newFiles[file], options));
}

export function diffRecords(
  file: string,
  oldRecord: FlatRecord | undefined,
  newRecord: FlatRecord | undefined,
  { includeUnchanged = true }: DiffOptions = {},
): DiffRow[] {
  const before = oldRecord ?? {};
  const after = newRecord ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const rows: DiffRow[] = [];
  for (const key of keys) {
    const row = diffValue(file, key, key in before, before[key], key in after, after[key]);
    if (row.status !== "unchanged" || includeUnchanged) rows.push(row);
  }
  return rows;
}

function diffValue(
  file: string,
  key: string,
  hadOld: boolean,
  oldValue: FlatValue | undefined,
  hasNew: boolean,
  newValue: FlatValue | undefined,
): DiffRow {
  if (!hadOld) return { file, key, new: newValue as FlatValue, status: "added" };
  if (!hasNew) return { file, key, old: oldValue as FlatValue, status: "removed" };
  const row: DiffRow = {
    file,
    key,
    old: oldValue as FlatValue,
    new: newValue as FlatValue,
    status: "changed",
  };
  const a = asNumber(oldValue);
  const b = asNumber(newValue);
  if (a !== undefined && b !== undefined) {
    if (sameNumber(a, b)) return { ...row, delta: 0, relative: 0, status: "unchanged" };
    row.delta = b - a;
    if (a !== 0 && Number.isFinite(a)) row.relative = (b - a) / Math.abs(a);
    return row;
  }
  if (Object.is(oldValue, newValue) || JSON.stringify(oldValue) === JSON.stringify(newValue)) {
    return { ...row, status: "unchanged" };
  }
  return row;
}

/** NaN equals NaN here: an unchanged NaN metric is not a change worth a reviewer's time. */
function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** Counts for a headline: how many keys changed, were added, removed. */
export function summarizeDiff(rows: readonly DiffRow[]): Record<DiffStatus, number> {
  const counts: Record<DiffStatus, number> = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}
