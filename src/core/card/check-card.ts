/**
 * Validate a model card against the Hugging Face card metadata spec (the parts Trainyard writes)
 * and against Trainyard's own rules. Returns problems as data, each naming file, line, column
 * and key; `trainyard card --check` prints them and exits non-zero on any error. Pure.
 */
import { isRecord } from "../is-record.js";
import { type SourceLocation, TrainyardError, formatLocation } from "../errors.js";
import { asNumber, type FlatRecord } from "../metrics/flatten.js";
import { formatValue } from "../metrics/format-value.js";
import type { KeyPath } from "../yaml-document.js";
import { type CardDocument, parseCard } from "./card-document.js";
import { checkDatasetInfo } from "./check-dataset-info.js";
import type { DatasetInfo } from "./render-dataset-card.js";

export interface CardProblem {
  severity: "error" | "warning";
  location: SourceLocation;
  message: string;
}

export interface CheckCardOptions {
  /** The metrics file's current values: the card must agree with them (else it is stale). */
  metrics?: FlatRecord;
  /** Expected model-index name. */
  model?: string;
  /** A dataset card has `dataset_info` instead of a model-index (and no metrics). */
  type?: "model" | "dataset";
  /** The data's own `dataset_info`: a dataset card that disagrees with it is stale. */
  datasetInfo?: DatasetInfo;
}

export function formatCardProblem(p: CardProblem): string {
  return `${formatLocation(p.location)}: ${p.severity}: ${p.message}`;
}

export function checkCard(text: string, file: string, options: CheckCardOptions = {}): CardProblem[] {
  let doc: CardDocument;
  try {
    doc = parseCard(text, file);
  } catch (thrown) {
    if (thrown instanceof TrainyardError) {
      return [
        {
          severity: "error",
          location: thrown.location ?? { file },
          message: thrown.message.replace(`${formatLocation(thrown.location ?? { file })}: `, ""),
        },
      ];
    }
    throw thrown;
  }
  const problems: CardProblem[] = [];
  const error = (path: KeyPath, message: string) =>
    problems.push({ severity: "error", location: doc.locate(path), message });
  const warn = (path: KeyPath, message: string) =>
    problems.push({ severity: "warning", location: doc.locate(path), message });

  for (const p of doc.markerProblems)
    problems.push({ severity: "error", location: { file, line: p.line, column: 1 }, message: p.message });
  if (doc.frontMatter === undefined) {
    problems.push({
      severity: "error",
      location: { file, line: 1, column: 1 },
      message: "no YAML front matter; a card starts with '---', its metadata, and '---'",
    });
    return problems;
  }
  const fm = doc.frontMatter;
  if (!isRecord(fm)) {
    error([], "front matter must be a mapping of keys to values");
    return problems;
  }
  if (fm.license === undefined) warn([], "no `license`; the Hub shows cards without one as unlicensed");
  else if (typeof fm.license !== "string" || fm.license === "")
    error(["license"], "`license` must be a license id such as mit or apache-2.0");
  if (fm.library_name !== undefined && typeof fm.library_name !== "string")
    error(["library_name"], "`library_name` must be a string");
  for (const key of ["tags", "datasets", "metrics"] as const) {
    const value = fm[key];
    if (value === undefined) continue;
    if (!Array.isArray(value)) error([key], `\`${key}\` must be a list of strings`);
    else {
      for (const [i, v] of value.entries()) {
        if (typeof v !== "string") error([key, i], `\`${key}[${i}]\` must be a string, found ${describe(v)}`);
      }
    }
  }
  if (options.type === "dataset") checkDatasetInfo(fm.dataset_info, error, options.datasetInfo);
  else if (fm["model-index"] === undefined)
    warn([], "no `model-index`; the Hub will not show evaluation results");
  else checkModelIndex(fm["model-index"], error, options);
  checkLineage(fm.trainyard, warn, error);
  return problems;
}

type Report = (path: KeyPath, message: string) => void;

function checkModelIndex(index: unknown, error: Report, options: CheckCardOptions): void {
  const at: KeyPath = ["model-index"];
  if (!Array.isArray(index) || index.length === 0) {
    error(at, "`model-index` must be a non-empty list of models, each with `name` and `results`");
    return;
  }
  index.forEach((entry, i) => {
    const p: KeyPath = [...at, i];
    if (!isRecord(entry)) {
      error(p, "each model-index entry must be a mapping with `name` and `results`");
      return;
    }
    if (typeof entry.name !== "string" || !entry.name)
      error([...p, "name"], "`name` is required: the model id");
    else if (options.model && entry.name !== options.model)
      error([...p, "name"], `\`name\` is '${entry.name}' but the card is for '${options.model}'`);
    if (!Array.isArray(entry.results) || entry.results.length === 0) {
      error([...p, "results"], "`results` must be a non-empty list of {task, dataset, metrics}");
      return;
    }
    entry.results.forEach((result, j) => {
      checkResult(result, [...p, "results", j], error, options);
    });
  });
}

function checkResult(result: unknown, p: KeyPath, error: Report, options: CheckCardOptions): void {
  if (!isRecord(result)) {
    error(p, "each result must be a mapping with `task`, `dataset` and `metrics`");
    return;
  }
  const task = result.task;
  if (!isRecord(task)) error([...p, "task"], "`task` is required, with `type` (e.g. tabular-classification)");
  else {
    requireString(task, "type", [...p, "task"], error, "the task id, e.g. tabular-classification");
    optionalString(task, "name", [...p, "task"], error);
  }
  const dataset = result.dataset;
  if (!isRecord(dataset)) error([...p, "dataset"], "`dataset` is required, with `type` and `name`");
  else {
    requireString(dataset, "type", [...p, "dataset"], error, "the dataset id");
    requireString(dataset, "name", [...p, "dataset"], error, "a readable dataset name");
    for (const key of ["split", "revision", "config"]) optionalString(dataset, key, [...p, "dataset"], error);
  }
  const metrics = result.metrics;
  if (!Array.isArray(metrics) || metrics.length === 0) {
    error([...p, "metrics"], "`metrics` must be a non-empty list of {type, value}");
    return;
  }
  metrics.forEach((m, k) => {
    const mp: KeyPath = [...p, "metrics", k];
    if (!isRecord(m)) {
      error(mp, "each metric must be a mapping with `type` and `value`");
      return;
    }
    requireString(m, "type", mp, error, "the metric id, e.g. accuracy");
    optionalString(m, "name", mp, error);
    if (m.value === undefined || m.value === null)
      error([...mp, "value"], "`value` is required: a number (or a string such as '20.0 ± 1.2')");
    else if (typeof m.value !== "number" && typeof m.value !== "string")
      error([...mp, "value"], `\`value\` must be a number, found ${describe(m.value)}`);
    else if (typeof m.value === "number" && !Number.isFinite(m.value))
      error([...mp, "value"], "`value` must be a finite number");
    const key = typeof m.name === "string" ? m.name : m.type;
    if (options.metrics && typeof key === "string" && key in options.metrics) {
      const actual = asNumber(options.metrics[key]);
      const carded = asNumber(m.value as number | string);
      if (
        actual !== undefined &&
        carded !== undefined &&
        Math.abs(actual - carded) > 1e-9 * Math.max(1, Math.abs(actual))
      ) {
        error(
          [...mp, "value"],
          `card says ${key} = ${formatValue(carded)} but the metrics file says ${formatValue(actual)}; regenerate with \`trainyard card\``,
        );
      }
    }
  });
}

function checkLineage(lineage: unknown, warn: Report, error: Report): void {
  if (lineage === undefined) {
    warn([], "no `trainyard` lineage (commit, lock, data); regenerate with `trainyard card`");
    return;
  }
  if (!isRecord(lineage)) {
    error(["trainyard"], "`trainyard` must be a mapping with commit, lock, data and params");
    return;
  }
  optionalString(lineage, "commit", ["trainyard"], error);
  optionalString(lineage, "lock", ["trainyard"], error);
  if (typeof lineage.commit === "string" && !/^[0-9a-f]{7,64}$/.test(lineage.commit)) {
    error(["trainyard", "commit"], "`commit` must be a git commit id (hex)");
  }
  if (lineage.data !== undefined) {
    if (!isRecord(lineage.data)) error(["trainyard", "data"], "`data` must map paths to hashes");
    else
      for (const [k, v] of Object.entries(lineage.data))
        if (typeof v !== "string") error(["trainyard", "data", k], "each data hash must be a string");
  }
}

function requireString(
  obj: Record<string, unknown>,
  key: string,
  p: KeyPath,
  error: Report,
  what: string,
): void {
  const v = obj[key];
  if (v === undefined || v === null || v === "") error([...p, key], `\`${key}\` is required: ${what}`);
  else if (typeof v !== "string") error([...p, key], `\`${key}\` must be a string, found ${describe(v)}`);
}

function optionalString(obj: Record<string, unknown>, key: string, p: KeyPath, error: Report): void {
  const v = obj[key];
  if (v !== undefined && typeof v !== "string")
    error([...p, key], `\`${key}\` must be a string, found ${describe(v)}`);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  return typeof v === "object" ? "a mapping" : `${typeof v} ${JSON.stringify(v)}`;
}
