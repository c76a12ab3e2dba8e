/**
 * A dataset card's `dataset_info` against the Hub's shape (features with name and dtype, splits
 * with name, num_examples and num_bytes) and, when the data's own numbers are given, against them:
 * a card whose splits or row counts differ from the data is stale. Pure.
 */
import { isRecord } from "../is-record.js";
import type { KeyPath } from "../yaml-document.js";
import type { DatasetInfo } from "./render-dataset-card.js";

type Report = (path: KeyPath, message: string) => void;

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

export function checkDatasetInfo(info: unknown, error: Report, expected?: DatasetInfo): void {
  const at: KeyPath = ["dataset_info"];
  if (info === undefined) {
    error([], "no `dataset_info`; the Hub shows no features or splits (regenerate with `trainyard card`)");
    return;
  }
  if (!isRecord(info)) {
    error(at, "`dataset_info` must be a mapping with `features`, `splits` and sizes");
    return;
  }
  if (info.features !== undefined) {
    if (!Array.isArray(info.features))
      error([...at, "features"], "`features` must be a list of {name, dtype}");
    else
      info.features.forEach((f, i) => {
        if (!isRecord(f) || typeof f.name !== "string" || typeof f.dtype !== "string")
          error([...at, "features", i], "each feature needs a string `name` and `dtype`");
      });
  }
  for (const key of ["download_size", "dataset_size"] as const) {
    if (info[key] !== undefined && !isCount(info[key]))
      error([...at, key], `\`${key}\` must be a whole number of bytes`);
  }
  if (!Array.isArray(info.splits)) {
    error([...at, "splits"], "`splits` must be a list of {name, num_bytes, num_examples}");
    return;
  }
  const carded = new Map<string, number>();
  info.splits.forEach((s, i) => {
    const p: KeyPath = [...at, "splits", i];
    if (!isRecord(s) || typeof s.name !== "string") {
      error(p, "each split needs a string `name`");
      return;
    }
    if (!isCount(s.num_examples)) error([...p, "num_examples"], "`num_examples` must be a whole number");
    else carded.set(s.name, s.num_examples);
    if (s.num_bytes !== undefined && !isCount(s.num_bytes))
      error([...p, "num_bytes"], "`num_bytes` must be a whole number");
  });
  if (!expected) return;
  const want = new Map(expected.splits.map((s) => [s.name, s.num_examples]));
  const names = (m: Map<string, number>) => [...m.keys()].sort().join(", ");
  if (names(want) !== names(carded)) {
    error(
      [...at, "splits"],
      `card lists splits [${names(carded)}] but the data has [${names(want)}]; regenerate with \`trainyard card\``,
    );
    return;
  }
  info.splits.forEach((s, i) => {
    if (!isRecord(s) || typeof s.name !== "string") return;
    const rows = want.get(s.name);
    if (rows !== undefined && s.num_examples !== rows)
      error(
        [...at, "splits", i, "num_examples"],
        `card says split ${s.name} has ${String(s.num_examples)} rows but the data has ${rows}; regenerate with \`trainyard card\``,
      );
  });
}
