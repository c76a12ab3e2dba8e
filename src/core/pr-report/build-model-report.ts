/**
 * Everything the bot and the `report` action say about one model on a PR, from file texts read at
 * the base and head commits: the sticky comment's Markdown (rendered by core/report) and the
 * gating check run's conclusion and summary. Pure — the callers read the files and post.
 */
import type { Config } from "../config/schema.js";
import { evaluateGates, type GateEvaluation } from "../gates.js";
import { LOCK_FILE, type Lock, parseLock } from "../lock.js";
import { diffRecords, type DiffRow } from "../metrics/diff-metrics.js";
import { asNumber, type FlatRecord, flattenRecord } from "../metrics/flatten.js";
import { parseMetricsText } from "../metrics/parse-metrics-file.js";
import { diffTableSummaries } from "../data-summary/diff-table-summary.js";
import type { TableSummary } from "../data-summary/summarize-table.js";
import { STAGE_OUTCOMES_FILE } from "../file-names.js";
import { modelPlots } from "../plots/model-plots.js";
import { outcomesAt } from "../report/stage-outcomes.js";
import type { StageLine } from "../report/stages-section.js";
import { renderedPlotPaths } from "../plots/rendered-plots.js";
import { plotDataFiles, plotImageFiles, plotRevisionFromTexts } from "../plots/plot-revision.js";
import type { ImageRef } from "../plots/render-plots-section.js";
import { type Iteration, nextIterations } from "../report/iterations.js";
import { metricDirections } from "../report/metric-direction.js";
import { type DataChange, type RevisionLabel, renderReport } from "../report/render-report.js";
import { codeSpan, inlineText, plainText } from "../trust/index.js";
import { parseYamlWithPositions } from "../yaml-document.js";
import { datasetCheck } from "./dataset-check.js";

/** File texts at one revision, by repository path; a missing file is absent or undefined. */
export type FileTexts = Readonly<Record<string, string | undefined>>;

/** Image plots found at one revision, by path (absent: not there). */
export type ImageRefs = Readonly<Record<string, ImageRef | undefined>>;

export interface ModelReportInput {
  config: Config;
  model: string;
  base: RevisionLabel & { files: FileTexts; images?: ImageRefs };
  head: RevisionLabel & { files: FileTexts; images?: ImageRefs };
  /** Registered versions for the chart, oldest first. */
  history?: readonly { version: string; value?: number; stages?: readonly string[] }[];
  headChartLabel?: string;
  footer?: string;
  /** Rows of the iterations table from the previous comment; the head commit's row is added. */
  previousIterations?: readonly Iteration[];
  /** Summaries of changed tabular data (see changedDataPaths), by path. */
  tables?: Readonly<Record<string, TableSides>>;
}

/** A table's summary at base and head; `note` says why a side could not be summarized. */
export interface TableSides {
  base?: TableSummary;
  head?: TableSummary;
  note?: string;
}

export type CheckConclusion = "success" | "failure" | "neutral";

export interface ModelReport {
  model: string;
  markdown: string;
  check: { conclusion: CheckConclusion; title: string; summary: string };
  gates?: GateEvaluation;
}

/** Paths a report on `model` needs at each revision (read them, then call buildModelReport). */
export function reportInputPaths(config: Config, model: string): string[] {
  const paths = [metricsPath(config, model), config.params, LOCK_FILE, STAGE_OUTCOMES_FILE].filter(isString);
  return [...new Set([...paths, ...plotDataFiles(modelPlots(config, model))])];
}

/** Image plots of `model`: the caller finds each at both revisions (a content id, maybe a URL). */
export function reportImagePaths(config: Config, model: string): string[] {
  const plots = modelPlots(config, model);
  return [...plotImageFiles(plots), ...renderedPathsOf(config, model).values()];
}

/** The model's data plots → the SVG the run action commits for each (shown by URL when there). */
function renderedPathsOf(config: Config, model: string): Map<string, string> {
  const ids = new Set(modelPlots(config, model).map((d) => d.id));
  return new Map([...renderedPlotPaths(config)].filter(([id]) => ids.has(id)));
}

function isString(value: string | undefined): value is string {
  return typeof value === "string";
}

/**
 * The metrics file a model is judged by: its own `metrics`, else the first one a stage declares.
 * A dataset is judged by none: its report is about its data.
 */
export function metricsPath(config: Config, model: string): string | undefined {
  const spec = config.models[model];
  if (spec?.type === "dataset") return undefined;
  if (spec?.metrics) return spec.metrics;
  return Object.values(config.stages).flatMap((s) => s.metrics)[0];
}

export function buildModelReport(input: ModelReportInput): ModelReport {
  const { config, model } = input;
  const spec = config.models[model];
  const metricsFile = metricsPath(config, model);
  const baseMetrics = metricsFile
    ? parseFlat(input.base.files[metricsFile], metricsFile, "metrics")
    : undefined;
  const headMetrics = metricsFile
    ? parseFlat(input.head.files[metricsFile], metricsFile, "metrics")
    : undefined;
  const headHasMetrics = headMetrics !== undefined;
  // The configured main metric, else the first gate in config order (not in result order, which
  // puts failing gates first and would switch the chart and the iterations between pushes).
  const dataset = spec?.type === "dataset";
  const mainMetric = dataset ? undefined : (spec?.main_metric ?? Object.keys(spec?.gates ?? {})[0]);
  const metrics = metricsFile && headHasMetrics ? diffRecords(metricsFile, baseMetrics, headMetrics) : [];
  const gates = headHasMetrics ? evaluateGates(spec?.gates ?? {}, headMetrics, baseMetrics) : undefined;
  const baseLock = parseLockOrEmpty(input.base.files[LOCK_FILE]);
  const headLock = parseLockOrEmpty(input.head.files[LOCK_FILE]);
  const data = withTables(dataChanges(baseLock, headLock), input.tables);
  const markdown = renderReport({
    model,
    ...(dataset ? { artifactType: "dataset" as const } : {}),
    base: { label: input.base.label, ...(input.base.sha ? { sha: input.base.sha } : {}) },
    head: { label: input.head.label, ...(input.head.sha ? { sha: input.head.sha } : {}) },
    metrics,
    headHasMetrics,
    ...(gates ? { gates } : {}),
    params: diffParams(config.params, input.base.files[config.params], input.head.files[config.params]),
    stagesRerun: rerunStages(baseLock, headLock),
    ...stageOutcomesOf(input.head.files),
    data,
    plots: plotsInput(input),
    directions: metricDirections(spec?.gates, spec?.report?.direction),
    ...(spec?.report?.metrics ? { chosenMetrics: spec.report.metrics } : {}),
    ...(spec?.report ? { precision: spec.report.precision } : {}),
    ...(input.history ? { history: input.history } : {}),
    ...(mainMetric ? { mainMetric } : {}),
    ...(input.headChartLabel ? { headChartLabel: input.headChartLabel } : {}),
    ...(input.footer ? { footer: input.footer } : {}),
    ...(input.previousIterations && input.head.sha && !dataset
      ? {
          iterations: nextIterations(
            input.previousIterations,
            iteration(input.head.sha, mainMetric, gates, headMetrics),
          ),
        }
      : {}),
  });
  return {
    model,
    markdown,
    check: dataset ? datasetCheck(model, data) : checkOutcome(model, metricsFile, headHasMetrics, gates),
    ...(gates ? { gates } : {}),
  };
}

function iteration(
  sha: string,
  mainMetric: string | undefined,
  gates: GateEvaluation | undefined,
  metrics: FlatRecord | undefined,
): Iteration {
  const value = mainMetric ? asNumber(metrics?.[mainMetric]) : undefined;
  const verdict = !gates || gates.results.length === 0 ? "none" : gates.status;
  return {
    sha: sha.toLowerCase(),
    ...(value !== undefined && Number.isFinite(value) ? { value } : {}),
    verdict,
  };
}

function plotsInput(input: ModelReportInput) {
  const definitions = modelPlots(input.config, input.model);
  const label = (rev: RevisionLabel) => rev.sha?.slice(0, 7) ?? rev.label;
  return {
    definitions,
    base: plotRevisionFromTexts(definitions, input.base.files, input.base.images, label(input.base)),
    head: plotRevisionFromTexts(definitions, input.head.files, input.head.images, label(input.head)),
    rendered: renderedPathsOf(input.config, input.model),
  };
}

function checkOutcome(
  model: string,
  metricsFile: string | undefined,
  headHasMetrics: boolean,
  gates: GateEvaluation | undefined,
): ModelReport["check"] {
  if (!headHasMetrics || !gates) {
    return {
      conclusion: "neutral",
      title: plainText(`No metrics for ${model} at this commit yet`),
      summary: `${codeSpan(metricsFile ?? "(no metrics file configured)")} does not exist at the head commit — the pipeline has probably not run (or is still running). The gates are checked once it is committed.`,
    };
  }
  const lines = gates.results.map(
    (r) =>
      `- ${r.status === "pass" ? "✅" : r.status === "fail" ? "❌" : "⚠️"} ${codeSpan(r.metric)} ${r.kind} ${r.threshold}: ${inlineText(r.explanation, 300)}`,
  );
  if (gates.results.length === 0) {
    return {
      conclusion: "success",
      title: plainText(`${model}: no gates configured`),
      summary: "No gates are configured for this model.",
    };
  }
  if (gates.passed) {
    return {
      conclusion: "success",
      title: plainText(`${model}: all ${gates.results.length} gates pass`),
      summary: lines.join("\n"),
    };
  }
  const failing = gates.results.filter((r) => r.status !== "pass");
  const names = [...new Set(failing.map((r) => `${r.metric} ${r.kind}`))].join(", ");
  return {
    conclusion: "failure",
    // Metric names come from config a pull request may edit: one line, no HTML, whatever they hold.
    title: plainText(`${model}: gate failed — ${names}`, 200),
    summary: lines.join("\n"),
  };
}

function parseFlat(
  text: string | undefined,
  file: string,
  kind: "metrics" | "params",
): FlatRecord | undefined {
  if (text === undefined) return undefined;
  if (kind === "metrics") return parseMetricsText(text, file);
  const doc = parseYamlWithPositions(text, file, "config");
  return flattenRecord(doc.value ?? {});
}

function diffParams(file: string, base: string | undefined, head: string | undefined): DiffRow[] {
  if (base === undefined && head === undefined) return [];
  return diffRecords(file, parseFlat(base, file, "params"), parseFlat(head, file, "params"), {
    includeUnchanged: false,
  });
}

/** What the run that wrote head's lock did per stage, when its record names that lock. */
function stageOutcomesOf(files: FileTexts): { stageOutcomes?: readonly StageLine[] } {
  const outcomes = outcomesAt(files);
  return outcomes.kind === "shown" ? { stageOutcomes: outcomes.stages } : {};
}

function parseLockOrEmpty(text: string | undefined): Lock | undefined {
  return text === undefined ? undefined : parseLock(text);
}

/** Stages whose lock entry differs between base and head: they ran for this PR. */
function rerunStages(base: Lock | undefined, head: Lock | undefined): string[] {
  if (!head) return [];
  return Object.entries(head.stages)
    .filter(([name, stage]) => base?.stages[name]?.fingerprint !== stage.fingerprint)
    .map(([name]) => name)
    .sort();
}

/** Data paths whose hash differs between the two revisions' locks, with both hashes. */
export function changedDataPaths(base: FileTexts, head: FileTexts): DataChange[] {
  return dataChanges(parseLockOrEmpty(base[LOCK_FILE]), parseLockOrEmpty(head[LOCK_FILE]));
}

function withTables(changes: DataChange[], tables: ModelReportInput["tables"]): DataChange[] {
  if (!tables) return changes;
  return changes.map((change) => {
    const sides = tables[change.path];
    if (!sides) return change;
    if (!sides.base && !sides.head) return sides.note ? { ...change, tableNote: sides.note } : change;
    return {
      ...change,
      table: diffTableSummaries(sides.base, sides.head),
      ...(sides.note ? { tableNote: sides.note } : {}),
    };
  });
}

const CODE_FILE = /\.(m?js|cjs|m?ts|py|r|sh|ipynb|jl)$/i;

/** Data whose hash changed: stage outs, and deps that are directories or not source code. */
function dataChanges(base: Lock | undefined, head: Lock | undefined): DataChange[] {
  const hashes = (lock: Lock | undefined) => {
    const map = new Map<string, string>();
    for (const stage of Object.values(lock?.stages ?? {})) {
      const dataDeps = stage.deps.filter((d) => d.files !== undefined || !CODE_FILE.test(d.path));
      for (const entry of [...dataDeps, ...stage.outs]) map.set(entry.path, entry.hash);
    }
    return map;
  };
  const before = hashes(base);
  const after = hashes(head);
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((path) => before.get(path) !== after.get(path))
    .sort()
    .map((path) => ({
      path,
      ...(before.has(path) ? { old: before.get(path) } : {}),
      ...(after.has(path) ? { new: after.get(path) } : {}),
    }));
}
