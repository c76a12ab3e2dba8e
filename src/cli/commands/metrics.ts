/**
 * `trainyard metrics show|diff|history`: metric values at a revision, their diff between two
 * revisions (commits, branches, tags or the working tree), and a metric across registered versions.
 */
import type { Command } from "commander";
import type { DiffRow } from "../../core/metrics/diff-metrics.js";
import { diffFiles, summarizeDiff } from "../../core/metrics/diff-metrics.js";
import { formatDelta, formatRelative, formatValue } from "../../core/metrics/format-value.js";
import {
  buildModelReport,
  reportImagePaths,
  reportInputPaths,
} from "../../core/pr-report/build-model-report.js";
import { metricHistory } from "../../core/registry/metric-history.js";
import { buildRegistryState } from "../../core/registry/registry-state.js";
import { cell, tableHeader, tableRow } from "../../core/report/markdown.js";
import { TrainyardError } from "../../core/errors.js";
import { describeChangedTables } from "../../io/tables/index.js";
import { listTags, openRepo, WORKTREE } from "../../io/git/index.js";
import { imageRefsAt } from "../../io/plots/index.js";
import {
  loadConfigAt,
  loadEitherConfig,
  metricsFilesOf,
  readMetricsAt,
  readTextsAt,
  resolveRevision,
  type Revision,
} from "../../io/registry/index.js";
import { emit, writeLine } from "../output.js";
import { registerMetricsHistory, showAllBranches } from "./metrics-history.js";
import { columns, projectRoot } from "./cli-context.js";

interface DiffOptions {
  all?: boolean;
  json?: boolean;
  md?: boolean;
  model?: string;
}

export function registerMetrics(program: Command): void {
  const metrics = program
    .command("metrics")
    .description("show, diff and chart metrics across revisions and versions");

  metrics
    .command("show")
    .description("metric values at a revision (default: the working tree)")
    .option("--rev <rev>", "a commit, branch or tag instead of the working tree")
    .option("--all-branches", "the metrics at the tip of every local branch, side by side")
    .option("--json", "machine-readable output")
    .action(async (options: { rev?: string; allBranches?: boolean; json?: boolean }, cmd: Command) => {
      const root = projectRoot(cmd);
      if (options.allBranches) {
        if (options.rev) throw new TrainyardError("usage", "pass --rev or --all-branches, not both");
        await showAllBranches(root, options.json);
        return;
      }
      const rev = await resolveRevision(root, options.rev ?? WORKTREE);
      const config = await loadConfigAt(root, rev);
      const files = await readMetricsAt(root, rev, metricsFilesOf(config));
      emit(options.json, { ok: true, revision: rev, metrics: files }, () => {
        const rows = Object.entries(files).flatMap(([file, record]) =>
          record
            ? Object.entries(record).map(([k, v]) => [file, k, formatValue(v)])
            : [[file, "(missing)", ""]],
        );
        return rows.length ? columns([["Path", "Metric", "Value"], ...rows]) : "no metrics files configured";
      });
    });

  metrics
    .command("diff [a] [b]")
    .description("compare metrics between two revisions (default: HEAD and the working tree)")
    .option("--all", "include unchanged metrics")
    .option("--md", "Markdown: the same report the pull request comment shows, per model")
    .option("--model <name>", "only this model's report (with --md)")
    .option("--json", "machine-readable output")
    .action(async (a: string | undefined, b: string | undefined, options: DiffOptions, cmd: Command) => {
      const root = projectRoot(cmd);
      const [from, to] = await Promise.all([
        resolveRevision(root, a ?? "HEAD"),
        resolveRevision(root, b ?? WORKTREE),
      ]);
      if (options.md && !options.json) {
        writeLine(await markdownReports(root, from, to, options.model));
        return;
      }
      const config = await loadEitherConfig(root, from, to);
      const files = metricsFilesOf(config);
      const [before, after] = await Promise.all([
        readMetricsAt(root, from, files),
        readMetricsAt(root, to, files),
      ]);
      const rows = diffFiles(before, after, { includeUnchanged: true });
      const shown = options.all ? rows : rows.filter((r) => r.status !== "unchanged");
      emit(options.json, { ok: true, a: from, b: to, summary: summarizeDiff(rows), rows: shown }, () =>
        humanDiff(shown, from, to),
      );
    });

  registerMetricsHistory(metrics);
}

function humanDiff(rows: readonly DiffRow[], from: Revision, to: Revision): string {
  if (rows.length === 0) return `no metric changes between ${from.label} and ${to.label}`;
  return columns([
    ["Path", "Metric", from.label, to.label, "Change", "%"],
    ...rows.map((r) => [
      r.file,
      r.key,
      formatValue(r.old),
      formatValue(r.new),
      statusText(r),
      formatRelative(r.relative),
    ]),
  ]);
}

function statusText(r: DiffRow): string {
  if (r.status === "added" || r.status === "removed") return r.status;
  return formatDelta(r.delta) || (r.status === "changed" ? "changed" : "");
}

/** The PR comment for each model (or a plain table when no models are configured). */
async function markdownReports(root: string, from: Revision, to: Revision, only?: string): Promise<string> {
  const config = await loadEitherConfig(root, from, to);
  const models = only ? [only] : Object.keys(config.models);
  if (only && !config.models[only])
    throw new TrainyardError(
      "usage",
      `unknown model '${only}' (models: ${Object.keys(config.models).join(", ") || "none"})`,
    );
  if (models.length === 0) {
    const files = metricsFilesOf(config);
    const [before, after] = await Promise.all([
      readMetricsAt(root, from, files),
      readMetricsAt(root, to, files),
    ]);
    const rows = diffFiles(before, after);
    return (
      tableHeader(["Path", "Metric", from.label, to.label, "Change"]) +
      rows
        .map((r) =>
          tableRow([
            cell(r.file),
            cell(r.key),
            cell(formatValue(r.old)),
            cell(formatValue(r.new)),
            statusText(r),
          ]),
        )
        .join("")
    ).trimEnd();
  }
  const state = buildRegistryState(await listTags(root));
  const reports: string[] = [];
  for (const model of models) {
    const paths = reportInputPaths(config, model);
    const images = reportImagePaths(config, model);
    const [baseFiles, headFiles, baseImages, headImages] = await Promise.all([
      readTextsAt(root, from, paths),
      readTextsAt(root, to, paths),
      imageRefsAt(root, from, images),
      imageRefsAt(root, to, images),
    ]);
    const artifact = state.artifacts[model];
    const spec = config.models[model];
    const metric = spec?.main_metric ?? Object.keys(spec?.gates ?? {})[0];
    const history = artifact && metric ? metricHistory(artifact, metric, 12) : undefined;
    const tables = await describeChangedTables(
      openRepo(root),
      { rev: from.rev, files: baseFiles },
      { rev: to.rev, files: headFiles },
    );
    const report = buildModelReport({
      tables,
      config,
      model,
      base: { ...from, files: baseFiles, images: baseImages },
      head: { ...to, files: headFiles, images: headImages },
      ...(history ? { history } : {}),
      headChartLabel: to.label,
    });
    reports.push(report.markdown.trimEnd());
  }
  return reports.join("\n\n---\n\n");
}
