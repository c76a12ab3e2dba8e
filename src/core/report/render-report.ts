/**
 * The PR report for one model, as Markdown: a headline (failing gates first), the metrics table
 * with deltas and arrows, what params changed, which stages re-ran, which data versions changed,
 * and a Mermaid chart of the main metric across registered versions and this PR. It always fits
 * GitHub's comment limit: tables are cut to the space left and say how many rows were left out.
 * Pure: the bot and the `report` action pass data in and post the string.
 */
import type { GateEvaluation, GateResult } from "../gates.js";
import type { DiffRow } from "../metrics/diff-metrics.js";
import { asNumber } from "../metrics/flatten.js";
import { formatValue } from "../metrics/format-value.js";
import type { PlotDefinition } from "../plots/plot-definitions.js";
import { type PlotRevision, renderPlotsSection } from "../plots/render-plots-section.js";
import { budgetTable, cell, MIN_ROW, tableHeader, tableRow } from "./markdown.js";
import type { Direction } from "./metric-direction.js";
import { renderMetricsTable } from "./render-metrics-table.js";
import { type Iteration, renderIterations } from "./iterations.js";
import { reportMarker } from "./report-marker.js";
import { renderStagesSection, type StageLine } from "./stages-section.js";
import { renderMetricChart } from "./render-chart.js";
import { type DataChange, renderDataSection } from "./render-data-section.js";
import { codeSpan, inlineText } from "../trust/index.js";

/** GitHub rejects issue and PR comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface RevisionLabel {
  /** Branch, tag or "workspace". */
  label: string;
  sha?: string;
}

export type { DataChange };

export interface ReportInput {
  model: string;
  /** A dataset's report is about its data: no metrics, gates, chart or iterations. */
  artifactType?: "model" | "dataset";
  base?: RevisionLabel;
  head: RevisionLabel;
  /** Metric rows of the model (diffRecords/diffFiles), unchanged ones included. */
  metrics: readonly DiffRow[];
  /** Undefined when the head has no metrics file yet (e.g. training still running). */
  headHasMetrics?: boolean;
  gates?: GateEvaluation;
  /** Which way is better per metric (colours a change better or worse). */
  directions?: Readonly<Record<string, Direction>>;
  /** Metric keys the table shows, in order (a model's `report.metrics`); the rest fold. */
  chosenMetrics?: readonly string[];
  /** Decimals of metric values and changes. */
  precision?: number;
  /** Changed params only. */
  params?: readonly DiffRow[];
  stagesRerun?: readonly string[];
  /** What the run that wrote head's lock did per stage (replaces the plain "re-run" list). */
  stageOutcomes?: readonly StageLine[];
  data?: readonly DataChange[];
  /** The plots the model's pipeline declares, with their data at base and head. */
  plots?: {
    definitions: readonly PlotDefinition[];
    base?: PlotRevision;
    head: PlotRevision;
    /** Plot id → path of its SVG committed by the run action (looked up in `head.images`). */
    rendered?: ReadonlyMap<string, string>;
  };
  /** Registered versions, oldest first, for the chart (`metricHistory` output fits). */
  history?: readonly { version: string; value?: number; stages?: readonly string[] }[];
  /** The metric to chart; default the first gated metric, else the first numeric one. */
  mainMetric?: string;
  /** Label of this PR's point on the chart, e.g. "PR #12". */
  headChartLabel?: string;
  /** Maximum characters; default GitHub's comment limit. */
  limit?: number;
  /** One row per head commit reported on this PR (this one last); absent: no iterations table. */
  iterations?: readonly Iteration[];
  /** Appended to the footer, e.g. a link to the workflow run. */
  footer?: string;
}

const ICON = { pass: "✅", fail: "❌", missing: "⚠️" } as const;

export function renderReport(input: ReportInput): string {
  const limit = input.limit ?? GITHUB_COMMENT_LIMIT;
  const dataset = input.artifactType === "dataset";
  const parts: string[] = [reportMarker(input.model), dataset ? datasetHeadline(input) : headline(input)];
  const chart = dataset ? undefined : renderChart(input);
  const iterations = dataset
    ? ""
    : renderIterations(input.iterations ?? [], input.mainMetric ?? defaultMainMetric(input));
  const footer = `${iterations ? `${iterations}\n\n` : ""}${renderFooter(input)}`;
  // Sections with a fixed size first, then the tables share what is left, in order of importance.
  const fixed = parts.join("\n\n").length + (chart?.length ?? 0) + footer.length + 200;
  let remaining = limit - fixed;
  const all: { title: string; build: (budget: number) => string }[] = [
    { title: "gates", build: (b) => renderGates(input.gates, b) },
    {
      title: "metrics",
      build: (b) =>
        renderMetricsTable(
          {
            rows: input.metrics,
            ...(input.gates ? { gates: input.gates } : {}),
            baseTitle: revision(input.base, true),
            headTitle: revision(input.head, true),
            ...(input.directions ? { directions: input.directions } : {}),
            ...(input.chosenMetrics ? { chosen: input.chosenMetrics } : {}),
            ...(input.precision !== undefined ? { precision: input.precision } : {}),
          },
          b,
        ),
    },
    { title: "params", build: (b) => renderParams(input.params ?? [], b) },
    { title: "plots", build: (b) => renderPlots(input.plots, b) },
    { title: "stages", build: (b) => stagesOrOutcomes(input, b) },
    { title: "data", build: (b) => renderDataSection(input.data ?? [], b) },
  ];
  const tables = dataset ? all.filter((t) => t.title !== "gates" && t.title !== "metrics") : all;
  const body: string[] = [];
  tables.forEach((table, i) => {
    const reserve = (tables.length - i - 1) * 400;
    const text = table.build(Math.max(0, remaining - reserve));
    if (text) {
      body.push(text);
      remaining -= text.length + 2;
    }
  });
  const out = [...parts, ...body, ...(chart ? [chart] : []), footer].filter(Boolean).join("\n\n");
  return out.length <= limit ? `${out}\n` : hardCut(out, limit);
}

function renderPlots(plots: ReportInput["plots"], budget: number): string {
  return plots ? renderPlotsSection(plots.definitions, plots.base, plots.head, budget, plots.rendered) : "";
}

/** Last resort if the estimate above was wrong: never exceed the limit. */
function hardCut(text: string, limit: number): string {
  const note = "\n\n_Report cut to fit GitHub's comment size limit._\n";
  return text.slice(0, limit - note.length) + note;
}

function headline(input: ReportInput): string {
  const gates = input.gates;
  const name = codeSpan(input.model);
  if (input.headHasMetrics === false) {
    return `### ⏳ ${name}: no metrics at ${revision(input.head)} yet\nThe pipeline has not produced the metrics file for this commit; gates are checked once it does.`;
  }
  if (!gates || gates.results.length === 0) return `### 📊 ${name}: metrics report (no gates configured)`;
  const failed = gates.results.filter((r) => r.status === "fail").length;
  const missing = gates.results.filter((r) => r.status === "missing").length;
  const total = gates.results.length;
  if (failed) return `### ${ICON.fail} ${name}: ${failed} of ${total} gate${total === 1 ? "" : "s"} failed`;
  if (missing)
    return `### ${ICON.missing} ${name}: ${missing} of ${total} gated metric${missing === 1 ? "" : "s"} missing`;
  return `### ${ICON.pass} ${name}: all ${total} gate${total === 1 ? "" : "s"} pass`;
}

function datasetHeadline(input: ReportInput): string {
  const changed = input.data?.length ?? 0;
  const name = codeSpan(input.model);
  return changed
    ? `### 🗂️ ${name}: dataset — ${changed} data path${changed === 1 ? "" : "s"} changed`
    : `### 🗂️ ${name}: dataset — no data changed`;
}

function gateLine(r: GateResult): string {
  return `- ${ICON[r.status]} **${cell(r.metric, 80)}** \`${r.kind} ${formatValue(r.threshold)}\`: ${cell(r.explanation, 300)}\n`;
}

function renderGates(gates: GateEvaluation | undefined, budget: number): string {
  if (!gates || gates.results.length === 0) return "";
  const lines = gates.results.slice(0, Math.ceil(budget / MIN_ROW)).map(gateLine);
  const note = (n: number) => `_…and ${n} more gates (all results: \`trainyard metrics diff --json\`)._`;
  const { text } = budgetTable("", lines, budget, note, gates.results.length);
  return text.trimEnd();
}

function renderParams(params: readonly DiffRow[], budget: number): string {
  const changed = params.filter((p) => p.status !== "unchanged");
  if (changed.length === 0) return "";
  const rows = changed
    .slice(0, Math.ceil(budget / MIN_ROW))
    .map((p) => tableRow([cell(p.key), cell(formatValue(p.old)), cell(formatValue(p.new))]));
  const header = `#### Params changed\n${tableHeader(["Param", "Base", "Head"])}`;
  const { text } = budgetTable(
    header,
    rows,
    budget,
    (n) => `_Table truncated: ${n} more params not shown (\`trainyard params diff\`)._`,
    changed.length,
  );
  return text.trimEnd();
}

function stagesOrOutcomes(input: ReportInput, budget: number): string {
  const outcomes = input.stageOutcomes?.length ? renderStagesSection(input.stageOutcomes, "####") : "";
  return outcomes && outcomes.length <= budget ? outcomes : renderStages(input.stagesRerun ?? [], budget);
}

function renderStages(stages: readonly string[], budget: number): string {
  if (stages.length === 0) return "";
  const names = stages.map((s) => codeSpan(s, { max: 80 }));
  let line = `#### Stages re-run\n`;
  let shown = 0;
  for (const name of names) {
    if (line.length + name.length + 80 > budget) break;
    line += `${shown ? ", " : ""}${name}`;
    shown++;
  }
  if (shown === 0) return "";
  if (shown < names.length) line += ` _…and ${names.length - shown} more._`;
  return line;
}

/** The chart: registered versions (the last 12) and this PR's value of the main metric. */
function renderChart(input: ReportInput): string | undefined {
  const metric = input.mainMetric ?? defaultMainMetric(input);
  if (!metric) return undefined;
  const points = (input.history ?? [])
    .filter((h) => h.value !== undefined)
    .slice(-12)
    .map((h) => ({
      label: chartLabel(h.version, h.stages ?? []),
      value: h.value as number,
    }));
  const head = asNumber(input.metrics.find((r) => r.key === metric)?.new);
  if (head !== undefined) points.push({ label: input.headChartLabel ?? "this PR", value: head });
  if (points.length < 2) return undefined;
  const chart = renderMetricChart(metric, points);
  return chart ? `#### ${codeSpan(metric, { max: 80 })} across versions\n${chart}` : undefined;
}

/** "v1.2.0 (production)": a version holds several stages at once, so name only the one that matters most. */
function chartLabel(version: string, stages: readonly string[]): string {
  const stage = stages.includes("production") ? "production" : stages.length === 1 ? stages[0] : undefined;
  return stage ? `${version} (${stage})` : version;
}

function defaultMainMetric(input: ReportInput): string | undefined {
  const gated = input.gates?.results[0]?.metric;
  if (gated) return gated;
  return input.metrics.find((r) => asNumber(r.new) !== undefined)?.key;
}

/** A branch name and short sha; `inTable` when it sits in a table header. */
function revision(rev: RevisionLabel | undefined, inTable = false): string {
  if (!rev) return "";
  const label = codeSpan(rev.label, { max: 40, inTable });
  return rev.sha ? `${label} (${inlineText(rev.sha.slice(0, 7))})` : label;
}

function renderFooter(input: ReportInput): string {
  const compared = input.base
    ? `Compared ${revision(input.base)} → ${revision(input.head)}.`
    : `Head ${revision(input.head)}.`;
  return `<sub>${compared} Generated by Trainyard.${input.footer ? ` ${input.footer}` : ""}</sub>`;
}
