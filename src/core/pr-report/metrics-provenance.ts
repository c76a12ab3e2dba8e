/**
 * Whether a model's metrics were produced by the pipeline, judged at one commit from what is
 * committed: the metrics file's hash is the one its stage recorded in `trainyard.lock`, and that
 * stage is up to date for its inputs there (same cmd, deps and params as when it ran). A commit
 * that edits `metrics.json` by hand fails the first test; one that edits a dep or a param without
 * re-running fails the second. Required for a model whenever a pipeline stage writes its metrics
 * file — in the base branch's trainyard.yaml or the head's — so a pull request cannot opt out by
 * deleting the stage. (A lock edited consistently by hand is not caught here: that needs the
 * commit's author and signature.) Pure.
 */
import { createHash } from "node:crypto";
import type { Config } from "../config/schema.js";
import { describeReason, explainStage, type StaleReason } from "../fingerprint.js";
import type { Lock, LockEntry } from "../lock.js";
import { normalizeRepoPath } from "../repo-path.js";
import { codeSpan, inlineText } from "../trust/index.js";

/** The stage whose declared `metrics` include `metricsPath`, if any. */
export function producingStage(config: Config | undefined, metricsPath: string): string | undefined {
  const wanted = normalizeRepoPath(metricsPath);
  return Object.entries(config?.stages ?? {}).find(([, stage]) =>
    stage.metrics.some((p) => normalizeRepoPath(p) === wanted),
  )?.[0];
}

export interface ProvenanceInput {
  /** trainyard.yaml at the commit judged. */
  config: Config;
  metricsPath: string;
  /** The metrics file's bytes at that commit (undefined: missing). */
  metrics: Buffer | undefined;
  lock: Lock | undefined;
  /** Params file content at that commit (parsed). */
  params: unknown;
  /** What each dep of the producing stage is at that commit, as the lock would record it. */
  deps: ReadonlyMap<string, LockEntry | undefined>;
}

export const contentHash = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

// Outs other than metrics (models, data) are not in git; whether they match is not knowable here.
const INPUT_REASONS: ReadonlySet<StaleReason["kind"]> = new Set([
  "never-run",
  "cmd-changed",
  "dep-added",
  "dep-removed",
  "dep-modified",
  "dep-missing",
  "param-changed",
  "outs-changed",
]);

/** Why the metrics cannot be trusted as the pipeline's output; empty when they can. */
export function metricsProvenanceProblems(input: ProvenanceInput): string[] {
  const file = codeSpan(input.metricsPath);
  const stageName = producingStage(input.config, input.metricsPath);
  if (!stageName) {
    return [
      `no stage in trainyard.yaml at this commit writes ${file}, so nothing shows the pipeline produced it`,
    ];
  }
  const stage = input.config.stages[stageName]!;
  const locked = input.lock?.stages[stageName];
  const name = codeSpan(stageName);
  if (!locked) return [`trainyard.lock has no entry for stage ${name}: it never ran for this commit`];
  const recorded = locked.metrics.find((m) => m.path === normalizeRepoPath(input.metricsPath));
  const problems: string[] = [];
  if (!input.metrics) problems.push(`${file} is missing`);
  else if (!recorded) problems.push(`trainyard.lock does not record ${file} as an output of stage ${name}`);
  else if (recorded.hash !== contentHash(input.metrics)) {
    problems.push(
      `${file} is not what stage ${name} wrote (trainyard.lock records ${codeSpan(recorded.hash.slice(0, 19))}, the file hashes to ${codeSpan(contentHash(input.metrics).slice(0, 19))}): it was edited after the run`,
    );
  }
  const status = explainStage(
    stageName,
    stage,
    { deps: input.deps, params: input.params, outs: new Map() },
    locked,
  );
  const stale = status.reasons.filter((r) => INPUT_REASONS.has(r.kind));
  if (stale.length > 0) {
    const why = stale.map((r) => inlineText(describeReason(r), 160)).join("; ");
    problems.push(
      `stage ${name} is not up to date at this commit (${why}), so its metrics are not this commit's`,
    );
  }
  return problems;
}
