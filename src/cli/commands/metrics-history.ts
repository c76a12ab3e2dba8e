/**
 * `trainyard metrics history` (a metric across registered versions, or every metric across git
 * commits) and `metrics show --all-branches` (the metrics at every local branch's tip).
 */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import {
  type CommitMetrics,
  historyCsv,
  historyTable,
  unknownMetrics,
} from "../../core/metrics/commit-history.js";
import { formatValue } from "../../core/metrics/format-value.js";
import { metricHistory } from "../../core/registry/metric-history.js";
import { buildRegistryState } from "../../core/registry/registry-state.js";
import { appliedExperimentAt, listTags, WORKTREE } from "../../io/git/index.js";
import {
  branchHeads,
  CommitMetricsReader,
  type CommitWalk,
  listWalkCommits,
  loadConfigAt,
} from "../../io/registry/index.js";
import { emit, writeLine } from "../output.js";
import { columns, projectRoot } from "./cli-context.js";

interface HistoryOptions {
  metric?: string[];
  rev?: string;
  allCommits?: boolean;
  branch?: string;
  maxCount?: string;
  json?: boolean;
  csv?: boolean;
}

export function registerMetricsHistory(metrics: Command): void {
  metrics
    .command("history [model]")
    .description(
      "a model's metric across its registered versions (registry tags), or every metric across git commits (--rev, --branch, --all-commits)",
    )
    .option("--metric <key...>", "metric key(s) (default: the model's main metric; across commits: all)")
    .option("--rev <range>", "walk the commits of A..B (or of one revision's history)")
    .option("--branch <name>", "walk the history of this branch")
    .option("--all-commits", "walk every commit of every local branch")
    .option("-n, --max-count <n>", "at most this many commits, newest first")
    .option("--csv", "CSV (RFC 4180) on stdout")
    .option("--json", "machine-readable output")
    .action(async (model: string | undefined, options: HistoryOptions, cmd: Command) => {
      const root = projectRoot(cmd);
      const walks = [options.rev, options.branch, options.allCommits].filter((w) => w !== undefined).length;
      if (walks > 1) throw new TrainyardError("usage", "pass only one of --rev, --branch and --all-commits");
      if (walks === 0) {
        if (!model)
          throw new TrainyardError(
            "usage",
            "name a model (registry history) or pass --rev, --branch or --all-commits",
          );
        await registryHistory(root, model, options);
        return;
      }
      const maxCount = options.maxCount === undefined ? undefined : Number(options.maxCount);
      if (maxCount !== undefined && !(Number.isInteger(maxCount) && maxCount > 0))
        throw new TrainyardError(
          "usage",
          `--max-count takes a positive whole number, not ${options.maxCount}`,
        );
      const walk: CommitWalk = {
        ...(options.rev ? { range: options.rev } : {}),
        ...(options.branch ? { branch: options.branch } : {}),
        ...(options.allCommits ? { allCommits: true } : {}),
        ...(maxCount ? { maxCount } : {}),
      };
      await commitHistory(root, walk, options);
    });
}

async function commitHistory(root: string, walk: CommitWalk, options: HistoryOptions): Promise<void> {
  const current = await loadConfigAt(root, { label: WORKTREE, rev: WORKTREE }).catch(() => undefined);
  const reader = new CommitMetricsReader(root, current);
  const commits: CommitMetrics[] = [];
  for (const commit of await listWalkCommits(root, walk)) {
    const read = await reader.read(commit);
    if (Object.keys(read.metrics).length > 0 || read.unavailable) commits.push(read);
  }
  if (options.metric) {
    const unknown = unknownMetrics(commits, options.metric);
    if (unknown.length)
      throw new TrainyardError("usage", `no commit in the walk has the metric ${unknown.join(", ")}`);
  }
  const table = historyTable(commits, options.metric);
  if (options.csv && !options.json) {
    process.stdout.write(historyCsv(table));
    return;
  }
  for (const warning of reader.warnings) process.stderr.write(`warning: ${warning}\n`);
  emit(
    options.json,
    {
      ok: true,
      metrics: table.columns,
      commits: table.rows.map((r) => ({
        ...r.commit,
        values: Object.fromEntries(table.columns.map((c, i) => [c.title, r.values[i] ?? null])),
      })),
      warnings: reader.warnings,
    },
    () =>
      table.rows.length === 0
        ? "no commit in the walk has metrics"
        : columns([
            ["Commit", "Date", ...table.columns.map((c) => c.title), "Subject"],
            ...table.rows.map((r) => [
              `${r.commit.sha.slice(0, 7)}${r.commit.branches ? ` (${r.commit.branches.join(", ")})` : ""}`,
              r.commit.date.slice(0, 10),
              ...r.values.map((v) => (v === undefined ? "—" : formatValue(v))),
              r.commit.subject.slice(0, 60),
            ]),
          ]),
  );
}

async function registryHistory(root: string, model: string, options: HistoryOptions): Promise<void> {
  const state = buildRegistryState(await listTags(root));
  const artifact = state.artifacts[model];
  if (!artifact) throw new TrainyardError("registry", `${model} has no registered versions`);
  // No trainyard.yaml is fine (undefined); an invalid one is an error, not silently ignored.
  const config = await loadConfigAt(root, { label: WORKTREE, rev: WORKTREE });
  const spec = config?.models[model];
  const metric =
    options.metric?.[0] ??
    spec?.main_metric ??
    Object.keys(spec?.gates ?? {})[0] ??
    Object.keys(artifact.versions.find((v) => v.metrics)?.metrics ?? {})[0];
  if (!metric) throw new TrainyardError("usage", `no metrics recorded for ${model}; pass --metric <key>`);
  // A version whose lock came from `exp apply` names its experiment (from the commit trailer).
  const points = await Promise.all(
    metricHistory(artifact, metric).map(async (p) => {
      const experiment = await appliedExperimentAt(root, p.commit);
      return experiment ? { ...p, experiment } : p;
    }),
  );
  if (options.csv && !options.json) {
    writeLine(
      ["version,value,commit", ...points.map((p) => `${p.version},${p.value ?? ""},${p.commit}`)].join("\n"),
    );
    return;
  }
  emit(options.json, { ok: true, model, metric, points, warnings: state.warnings }, () =>
    columns([
      ["Version", metric, "Stages", "Commit", "Experiment"],
      ...points.map((p) => [
        p.version,
        p.value === undefined ? "—" : formatValue(p.value),
        p.stages.join(", "),
        p.commit.slice(0, 7),
        "experiment" in p ? p.experiment.name : "",
      ]),
    ]),
  );
}

/** `metrics show --all-branches`: one column per local branch tip. */
export async function showAllBranches(root: string, json: boolean | undefined): Promise<void> {
  const current = await loadConfigAt(root, { label: WORKTREE, rev: WORKTREE }).catch(() => undefined);
  const reader = new CommitMetricsReader(root, current);
  const heads = await branchHeads(root);
  const tips: { branch: string; commit: CommitMetrics }[] = [];
  for (const [sha, names] of heads) {
    const commit = await reader.read({ sha, date: "", subject: "", branches: names });
    for (const branch of names) tips.push({ branch, commit });
  }
  tips.sort((a, b) => (a.branch < b.branch ? -1 : a.branch > b.branch ? 1 : 0));
  const table = historyTable(tips.map((t) => t.commit));
  for (const warning of reader.warnings) process.stderr.write(`warning: ${warning}\n`);
  emit(
    json,
    {
      ok: true,
      branches: tips.map((t) => ({ branch: t.branch, sha: t.commit.sha, metrics: t.commit.metrics })),
      warnings: reader.warnings,
    },
    () =>
      columns([
        ["Metric", ...tips.map((t) => t.branch)],
        ...table.columns.map((c) => [
          c.title,
          ...tips.map((t) => {
            const value = t.commit.metrics[c.file]?.[c.key];
            return value === undefined ? "—" : formatValue(value);
          }),
        ]),
      ]),
  );
}
