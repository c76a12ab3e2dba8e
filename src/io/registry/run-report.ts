/**
 * What the run action reports after a run: the metrics files as values (any format the config
 * allows), the registry version on the commits involved, and per model the same report as the
 * pull request comment, comparing the commit the run started from with the result.
 */
import type { Config } from "../../core/config/schema.js";
import type { FilesRecord } from "../../core/metrics/diff-metrics.js";
import {
  buildModelReport,
  type FileTexts,
  reportInputPaths,
} from "../../core/pr-report/build-model-report.js";
import { describeChangedTables } from "../tables/index.js";
import { openRepo, WORKTREE } from "../git/index.js";
import { readRegistry } from "./registry.js";
import { metricsFilesOf, readMetricsAt, readTextsAt } from "./revision-metrics.js";

const WORKING_TREE = { label: WORKTREE, rev: WORKTREE } as const;

/** Every metrics file the config names, parsed and flattened, keyed by path (missing ones left out). */
export function readWorkingTreeMetrics(root: string, config: Config): Promise<FilesRecord> {
  return readMetricsAt(root, WORKING_TREE, metricsFilesOf(config));
}

/** A registered, live version on one of these commits, e.g. `iris@v1.3.0`. */
export async function registeredVersionOn(
  root: string,
  commits: readonly string[],
): Promise<string | undefined> {
  const state = await readRegistry(root);
  for (const artifact of Object.values(state.artifacts)) {
    const hit = artifact.versions.find((v) => commits.includes(v.commit) && v.registered && !v.deregistered);
    if (hit) return `${artifact.name}@${hit.version}`;
  }
  return undefined;
}

/** Markdown per model: the PR report of the start commit against the working tree after the run. */
export async function modelReportsSince(
  root: string,
  config: Config,
  start: string,
  commit: string | undefined,
): Promise<string[]> {
  const reports: string[] = [];
  for (const model of Object.keys(config.models)) {
    const paths = reportInputPaths(config, model);
    const before = await readTextsAt(root, { label: "start", rev: start }, paths);
    const after = await readTextsAt(root, WORKING_TREE, paths);
    const tables = await describeChangedTables(
      openRepo(root),
      { rev: start, files: before },
      { rev: WORKTREE, files: after },
    );
    const report = buildModelReport({
      config,
      tables,
      model,
      base: { label: "before this run", sha: start, files: before as FileTexts },
      head: { label: "after this run", ...(commit ? { sha: commit } : {}), files: after as FileTexts },
    });
    reports.push(report.markdown);
  }
  return reports;
}
