/**
 * Read what a metrics/params diff needs at a revision (a commit, branch, tag, or the working
 * tree): the config, every metrics file, the params file, the lock. Reading is here; parsing and
 * diffing are pure functions in core.
 */
import type { Config } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import { CONFIG_FILE } from "../../core/file-names.js";
import type { FilesRecord } from "../../core/metrics/diff-metrics.js";
import { flattenRecord } from "../../core/metrics/flatten.js";
import { detectMetricsFormat, parseMetricsText } from "../../core/metrics/parse-metrics-file.js";
import { parseYamlWithPositions } from "../../core/yaml-document.js";
import { readConfig, revisionReader } from "../config/index.js";
import { readFileAt, resolveCommit, WORKTREE } from "../git/index.js";
import { readStoredOutputAt } from "../pipeline/index.js";

export interface Revision {
  /** What the user typed (or "workspace"). */
  label: string;
  /** A commit id, or WORKTREE. */
  rev: string;
  sha?: string;
}

/** `HEAD`, a branch, tag, commit, or `workspace` (the files on disk). */
export async function resolveRevision(root: string, arg: string): Promise<Revision> {
  if (arg === WORKTREE) return { label: WORKTREE, rev: WORKTREE };
  const sha = await resolveCommit(root, arg);
  return { label: arg, rev: sha, sha };
}

/** The label a revision shows in a report, with `@rev` appended to file names in errors. */
function fileLabel(file: string, rev: Revision): string {
  return rev.rev === WORKTREE ? file : `${file}@${rev.label}`;
}

/** The validated config at `rev`, or undefined when the revision has no trainyard.yaml. */
export async function loadConfigAt(root: string, rev: Revision): Promise<Config | undefined> {
  return (await readConfig(revisionReader(root, rev.rev, rev.label)))?.config;
}

/** Every metrics file the config names: stage `metrics` and model `metrics`, in config order. */
export function metricsFilesOf(config: Config | undefined): string[] {
  if (!config) return [];
  const files = [
    ...config.metrics,
    ...Object.values(config.stages).flatMap((s) => s.metrics ?? []),
    ...Object.values(config.models).flatMap((m) => (m.metrics ? [m.metrics] : [])),
  ];
  return [...new Set(files)];
}

/**
 * A metrics or plot file at `rev`: from git (or the disk for the working tree), else, when the
 * file sits inside a cached out (dvclive's `eval/metrics.json`), from the store via that
 * revision's lock.
 */
export async function readOutputAt(root: string, rev: Revision, file: string): Promise<string | undefined> {
  const text = await readFileAt(root, rev.rev, file);
  if (text !== undefined || rev.rev === WORKTREE) return text;
  return readStoredOutputAt(root, rev.rev, file);
}

/** Parse each of `files` at `rev`; a file missing there is `undefined` (shown as added/removed). */
export async function readMetricsAt(
  root: string,
  rev: Revision,
  files: readonly string[],
): Promise<FilesRecord> {
  const out: FilesRecord = {};
  await Promise.all(
    files.map(async (file) => {
      const text = await readOutputAt(root, rev, file);
      out[file] =
        text === undefined
          ? undefined
          : parseMetricsText(text, fileLabel(file, rev), detectMetricsFormat(file));
    }),
  );
  return out;
}

/** The params file at `rev`, flattened (`train.depth`). */
export async function readParamsAt(root: string, rev: Revision, file: string): Promise<FilesRecord> {
  const text = await readFileAt(root, rev.rev, file);
  if (text === undefined) return { [file]: undefined };
  if (/\.(json|csv|tsv)$/i.test(file)) {
    return { [file]: parseMetricsText(text, fileLabel(file, rev), detectMetricsFormat(file)) };
  }
  const doc = parseYamlWithPositions(text, fileLabel(file, rev), "config");
  return { [file]: flattenRecord(doc.value ?? {}) };
}

/** Text of each path at `rev` (undefined when absent): the input shape of the PR report builder. */
export async function readTextsAt(
  root: string,
  rev: Revision,
  paths: readonly string[],
): Promise<Record<string, string | undefined>> {
  const entries = await Promise.all(paths.map(async (p) => [p, await readOutputAt(root, rev, p)] as const));
  return Object.fromEntries(entries);
}

/** The config of either side, preferring the newer one; an error only when neither has one. */
export async function loadEitherConfig(root: string, a: Revision, b: Revision): Promise<Config> {
  const config = (await loadConfigAt(root, b)) ?? (await loadConfigAt(root, a));
  if (!config) {
    throw new TrainyardError(
      "config",
      `no ${CONFIG_FILE} at ${b.label} or ${a.label}; run \`trainyard init\` first`,
    );
  }
  return config;
}
