/**
 * Which split each file of a dataset belongs to, the way the Hugging Face Hub infers it: a folder
 * whose table files are named after splits (`train.csv`, `test-00000-of-00002.parquet`,
 * `validation/part-1.jsonl`) has a split per name; anything else is one `train` split. And how the
 * summary's column types read as Hub feature dtypes. Pure.
 */
import type { ColumnType } from "../data-summary/summarize-table.js";

/** The Hub's split names, and the spellings that mean them. */
const SPLIT_SPELLINGS: Readonly<Record<string, string>> = {
  train: "train",
  training: "train",
  test: "test",
  testing: "test",
  eval: "test",
  validation: "validation",
  valid: "validation",
  val: "validation",
  dev: "validation",
};

/** Splits in the order the Hub lists them. */
const SPLIT_ORDER = ["train", "validation", "test"];

/** A split word at the start of a path segment, followed by its end or a separator (`train-0001`). */
const SPLIT_WORD = /^(train|training|test|testing|eval|validation|valid|val|dev)(?=$|[-_.])/i;

function splitOf(file: string): string | undefined {
  // The innermost named segment wins: `data/train/part-1.csv` and `data/train.csv` are both train.
  const segments = file.split("/").filter(Boolean).reverse();
  for (const segment of segments) {
    const word = SPLIT_WORD.exec(segment)?.[1];
    if (word) return SPLIT_SPELLINGS[word.toLowerCase()];
  }
  return undefined;
}

/**
 * Group files (paths relative to the dataset) into splits, each split's files sorted. Every file
 * must name a split for the grouping to apply; otherwise all of them form `train`.
 */
export function assignSplits(files: readonly string[]): { name: string; files: string[] }[] {
  const sorted = [...files].sort();
  if (sorted.length === 0) return [];
  const named = sorted.map((file) => ({ file, split: splitOf(file) }));
  if (named.some((n) => n.split === undefined)) return [{ name: "train", files: sorted }];
  const bySplit = new Map<string, string[]>();
  for (const { file, split } of named) {
    const key = split as string;
    bySplit.set(key, [...(bySplit.get(key) ?? []), file]);
  }
  return [...bySplit]
    .sort(([a], [b]) => SPLIT_ORDER.indexOf(a) - SPLIT_ORDER.indexOf(b))
    .map(([name, splitFiles]) => ({ name, files: splitFiles }));
}

export type FeatureDtype = "int64" | "float64" | "bool" | "string";

/** A summary column type as a Hub `Value` dtype; nested JSON and all-missing columns are strings. */
export function featureDtype(type: ColumnType): FeatureDtype {
  if (type === "integer") return "int64";
  if (type === "number") return "float64";
  if (type === "boolean") return "bool";
  return "string";
}

/**
 * One dtype for a column seen in several files: an all-missing side says nothing, integers and
 * floats make floats, any other disagreement makes strings (every value reads as text).
 */
export function mergeDtypes(types: readonly ColumnType[]): FeatureDtype {
  const known = [...new Set(types.filter((t) => t !== "empty"))];
  if (known.length === 0) return "string";
  if (known.length === 1) return featureDtype(known[0] as ColumnType);
  if (known.every((t) => t === "integer" || t === "number")) return "float64";
  return "string";
}
