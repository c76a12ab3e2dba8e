/**
 * Metrics at many commits without checking any of them out: the commits come from one `git log`,
 * each metrics file is read from the commit's tree (git cat-file). A metrics file that is a
 * stage out and not committed (a cached file, or a file inside a cached out folder) is read from
 * the local store through the commit's lock, when this machine has those objects.
 */
import type { Config } from "../../core/config/schema.js";
import { TrainyardError, toError } from "../../core/errors.js";
import type { CommitMetrics } from "../../core/metrics/commit-history.js";
import type { FilesRecord } from "../../core/metrics/diff-metrics.js";
import { detectMetricsFormat, parseMetricsText } from "../../core/metrics/parse-metrics-file.js";
import { mustGit, readFileAt } from "../git/index.js";
import { readStoredOutputAt } from "../pipeline/index.js";
import { loadConfigAt, metricsFilesOf } from "./revision-metrics.js";

export interface CommitWalk {
  /** `A..B`, `A...B` or a single revision (its whole history). */
  range?: string;
  /** Every commit reachable from a local branch. */
  allCommits?: boolean;
  /** The history of this branch. */
  branch?: string;
  /** Newest N commits at most. */
  maxCount?: number;
}

const FIELD = "\u001f";
const RECORD = "\u001e";

/** Commits of the walk, newest first, with the local branches pointing at each. */
export async function listWalkCommits(
  root: string,
  walk: CommitWalk,
): Promise<Omit<CommitMetrics, "metrics">[]> {
  const revs = walk.allCommits ? ["--branches"] : [walk.range ?? walk.branch ?? "HEAD"];
  for (const rev of revs) {
    // Anything git would read as an option is refused, not passed on.
    if (rev.startsWith("-") && rev !== "--branches")
      throw new TrainyardError("usage", `not a revision or range: ${rev}`);
  }
  const args = [
    "log",
    `--format=%H${FIELD}%cI${FIELD}%s${RECORD}`,
    ...(walk.maxCount ? [`--max-count=${walk.maxCount}`] : []),
    ...revs,
    "--",
  ];
  const { stdout: out } = await mustGit(root, args, `cannot list the commits of ${revs.join(" ")}`);
  const heads = await branchHeads(root);
  return out
    .split(RECORD)
    .map((r) => r.replace(/^\n/, ""))
    .filter(Boolean)
    .map((record) => {
      const [sha = "", date = "", subject = ""] = record.split(FIELD);
      const branches = heads.get(sha);
      return { sha, date, subject, ...(branches ? { branches } : {}) };
    });
}

/** Local branches by the commit each points at. */
export async function branchHeads(root: string): Promise<Map<string, string[]>> {
  const { stdout: out } = await mustGit(
    root,
    ["for-each-ref", `--format=%(objectname)${FIELD}%(refname:short)`, "refs/heads"],
    "cannot list the branches",
  );
  const heads = new Map<string, string[]>();
  for (const line of out.split("\n").filter(Boolean)) {
    const [sha = "", name = ""] = line.split(FIELD);
    heads.set(sha, [...(heads.get(sha) ?? []), name]);
  }
  return heads;
}

/**
 * Reads the metrics at each commit. The files to read are the ones the commit's own config names
 * (metrics files move between commits); `fallback` is used where a commit has no readable config.
 */
export class CommitMetricsReader {
  readonly warnings: string[] = [];

  constructor(
    private readonly root: string,
    private readonly fallback: Config | undefined,
  ) {}

  async read(commit: Omit<CommitMetrics, "metrics">): Promise<CommitMetrics> {
    const at = { label: commit.sha.slice(0, 7), rev: commit.sha, sha: commit.sha };
    const config = await loadConfigAt(this.root, at).catch((thrown: unknown) => {
      this.warnings.push(`${at.label}: ${toError(thrown).message}`);
      return undefined;
    });
    const files = metricsFilesOf(config ?? this.fallback);
    const metrics: FilesRecord = {};
    const unavailable: string[] = [];
    for (const file of files) {
      const text = await this.textAt(commit.sha, file, unavailable);
      if (text === undefined) continue;
      try {
        metrics[file] = parseMetricsText(text, `${file}@${at.label}`, detectMetricsFormat(file));
      } catch (thrown) {
        this.warnings.push(toError(thrown).message);
      }
    }
    return { ...commit, metrics, ...(unavailable.length ? { unavailable } : {}) };
  }

  /** The file from the commit's tree, else from the local store through the commit's lock (a file or folder out). */
  private async textAt(sha: string, file: string, unavailable: string[]): Promise<string | undefined> {
    const committed = await readFileAt(this.root, sha, file);
    if (committed !== undefined) return committed;
    try {
      return await readStoredOutputAt(this.root, sha, file);
    } catch (thrown) {
      if (thrown instanceof TrainyardError && thrown.code === "missing") {
        unavailable.push(file);
        return undefined;
      }
      this.warnings.push(toError(thrown).message);
      return undefined;
    }
  }
}
