/**
 * Render a dataset card: Hugging Face dataset card front matter (license, tags, task_categories,
 * `dataset_info` with features, splits, sizes) plus Trainyard lineage, and a readable section per
 * split with each column's summary. Everything is computed from the data's own summaries, never
 * from metrics: a dataset has none. Column names and values are other people's text and are
 * escaped for their place. Regenerating keeps manual regions and unmanaged front matter keys. Pure.
 */
import type { ColumnSummary, TableSummary } from "../data-summary/summarize-table.js";
import { formatBytes } from "../format-bytes.js";
import { isRecord } from "../is-record.js";
import { formatValue } from "../metrics/format-value.js";
import { cell, tableHeader, tableRow } from "../report/markdown.js";
import { codeSpan } from "../trust/index.js";
import { manualBegin, manualEnd, parseCard } from "./card-document.js";
import { assignSplits, type FeatureDtype, featureDtype, mergeDtypes } from "./dataset-splits.js";
import { type CardInput, cardText, lineage, lineageFrontMatter } from "./render-card.js";

/** One file of the dataset: its path relative to the dataset, its size, and its summary if tabular. */
export interface DatasetFile {
  path: string;
  bytes: number;
  summary?: TableSummary;
  /** Why a file has no summary (not a table, too big, unreadable). */
  note?: string;
}

export interface DatasetCardInput {
  name: string;
  license?: string;
  tags?: readonly string[];
  task_categories?: readonly string[];
  description?: string;
  files: readonly DatasetFile[];
  lineage: CardInput["lineage"];
}

export interface DatasetSplit {
  name: string;
  files: DatasetFile[];
  num_examples: number;
  num_bytes: number;
}

export interface DatasetInfo {
  features: { name: string; dtype: FeatureDtype }[];
  splits: { name: string; num_bytes: number; num_examples: number }[];
  download_size: number;
  dataset_size: number;
}

const MANAGED_KEYS = ["license", "tags", "task_categories", "dataset_info", "trainyard"];

const SECTIONS = [
  {
    name: "description",
    title: "Dataset description",
    placeholder: "_Describe what this data is and how it was collected._",
  },
  {
    name: "intended-use",
    title: "Intended use",
    placeholder: "_Describe what this dataset is for and who should use it._",
  },
  {
    name: "limitations",
    title: "Limitations",
    placeholder: "_Known gaps, biases and licensing constraints._",
  },
] as const;

export function datasetSplits(files: readonly DatasetFile[]): DatasetSplit[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return assignSplits(files.map((f) => f.path)).map((split) => {
    const splitFiles = split.files.map((p) => byPath.get(p) as DatasetFile);
    return {
      name: split.name,
      files: splitFiles,
      num_examples: splitFiles.reduce((n, f) => n + (f.summary?.rows ?? 0), 0),
      num_bytes: splitFiles.reduce((n, f) => n + f.bytes, 0),
    };
  });
}

/** `dataset_info` as the Hub writes it: features in first-seen order, one entry per split. */
export function datasetInfo(files: readonly DatasetFile[]): DatasetInfo {
  const types = new Map<string, ColumnSummary["type"][]>();
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    for (const column of file.summary?.columns ?? []) {
      types.set(column.name, [...(types.get(column.name) ?? []), column.type]);
    }
  }
  const splits = datasetSplits(files);
  const size = splits.reduce((n, s) => n + s.num_bytes, 0);
  return {
    features: [...types].map(([name, seen]) => ({ name, dtype: mergeDtypes(seen) })),
    splits: splits.map((s) => ({ name: s.name, num_bytes: s.num_bytes, num_examples: s.num_examples })),
    download_size: files.reduce((n, f) => n + f.bytes, 0),
    dataset_size: size,
  };
}

export function renderDatasetCard(input: DatasetCardInput, previous?: string, file = "README.md"): string {
  const prev = previous ? parseCard(previous, file) : undefined;
  const kept = isRecord(prev?.frontMatter) ? prev.frontMatter : {};
  const front = {
    ...Object.fromEntries(Object.entries(kept).filter(([k]) => !MANAGED_KEYS.includes(k))),
    ...frontMatter(input, kept),
  };
  const manual = prev?.manual ?? new Map<string, string>();
  const region = (name: string, placeholder: string, fallback?: string) =>
    `${manualBegin(name)}\n${manual.get(name) ?? fallback ?? placeholder}\n${manualEnd(name)}`;
  const [description, intendedUse, limitations] = SECTIONS;
  const splits = datasetSplits(input.files);
  const sections: string[] = [`# ${input.name}`, ""];
  sections.push(
    `## ${description.title}`,
    "",
    region(description.name, description.placeholder, input.description),
    "",
  );
  sections.push("## Splits", "", splitsTable(splits), "");
  for (const split of splits) sections.push(`### ${split.name}`, "", splitDetails(split), "");
  sections.push(`## ${intendedUse.title}`, "", region(intendedUse.name, intendedUse.placeholder), "");
  sections.push(`## ${limitations.title}`, "", region(limitations.name, limitations.placeholder), "");
  sections.push("## Lineage", "", lineage(input), "");
  const known = new Set<string>(SECTIONS.map((s) => s.name));
  const extra = [...manual.keys()].filter((name) => !known.has(name));
  if (extra.length) {
    sections.push("## Notes", "");
    for (const name of extra) sections.push(region(name, ""), "");
  }
  return cardText(front, sections);
}

function frontMatter(input: DatasetCardInput, kept: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const license = input.license ?? kept.license;
  if (license !== undefined) out.license = license;
  const keptTags = Array.isArray(kept.tags) ? kept.tags : [];
  out.tags = [...new Set([...(input.tags ?? keptTags), "trainyard"])];
  const tasks = input.task_categories ?? (Array.isArray(kept.task_categories) ? kept.task_categories : []);
  if (tasks.length) out.task_categories = [...tasks];
  const info = datasetInfo(input.files);
  out.dataset_info = {
    ...(info.features.length ? { features: info.features } : {}),
    splits: info.splits,
    download_size: info.download_size,
    dataset_size: info.dataset_size,
  };
  out.trainyard = lineageFrontMatter(input.lineage);
  return out;
}

function splitsTable(splits: readonly DatasetSplit[]): string {
  if (splits.length === 0) return "_No files in this dataset yet._";
  return (
    tableHeader(["Split", "Files", "Rows", "Size"], ["l", "r", "r", "r"]) +
    splits
      .map((s) =>
        tableRow([s.name, String(s.files.length), String(s.num_examples), formatBytes(s.num_bytes)]),
      )
      .join("")
  ).trimEnd();
}

/** A split's column table; a split of several files gets one table per file. */
function splitDetails(split: DatasetSplit): string {
  if (split.files.length === 1) return fileDetails(split.files[0] as DatasetFile, false);
  return split.files.map((f) => fileDetails(f, true)).join("\n\n");
}

function fileDetails(file: DatasetFile, titled: boolean): string {
  const title = titled ? `${codeSpan(file.path)} (${formatBytes(file.bytes)})\n\n` : "";
  if (!file.summary) return `${title || `${codeSpan(file.path)}: `}${cell(file.note ?? "not a table", 200)}`;
  const summary = file.summary;
  const rows = summary.columns.map((c) =>
    tableRow([
      cell(c.name, 60),
      featureDtype(c.type),
      String(c.count),
      String(c.nulls),
      c.mean === undefined ? "" : cell(formatValue(c.mean)),
      c.min === undefined ? "" : cell(formatValue(c.min)),
      c.max === undefined ? "" : cell(formatValue(c.max)),
      cell((c.top ?? []).map((t) => `${t.value} (${t.count})`).join(", "), 100),
    ]),
  );
  const head = `${title}${codeSpan(file.path)}: ${summary.rows} row${summary.rows === 1 ? "" : "s"}, ${summary.columns.length} column${summary.columns.length === 1 ? "" : "s"}.\n\n`;
  if (rows.length === 0) return head.trimEnd();
  return (
    head +
    tableHeader(
      ["Column", "Type", "Count", "Nulls", "Mean", "Min", "Max", "Top values"],
      ["l", "l", "r", "r", "r", "r", "r", "l"],
    ) +
    rows.join("")
  ).trimEnd();
}
