/**
 * How a run came about, for its record: the host (or Actions runner), versions, the commit checked
 * out and, on GitHub Actions, the workflow run — so a later restore can say where its result came
 * from and how much time it saved.
 */
import { hostname } from "node:os";
import type { RunMetadata } from "../../core/run-cache/run-record.js";
import { TRAINYARD_VERSION } from "../../core/version.js";
import { runGitSync } from "../git/index.js";

/** What stays the same for every stage of one `run`. */
export type RunEnvironment = Omit<RunMetadata, "startedAt" | "endedAt" | "durationMs" | "exitCode">;

export function readRunEnvironment(root: string, env: NodeJS.ProcessEnv = process.env): RunEnvironment {
  const head = runGitSync(root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  const commit = head.code === 0 ? head.stdout.trim() : "";
  const onActions = env.GITHUB_ACTIONS === "true";
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  const runNumber = Number(env.GITHUB_RUN_NUMBER);
  return {
    host: hostname(),
    ...(onActions && env.RUNNER_NAME ? { runner: env.RUNNER_NAME } : {}),
    trainyardVersion: TRAINYARD_VERSION,
    nodeVersion: process.versions.node,
    ...(/^[0-9a-f]{40}$/.test(commit) ? { commit } : {}),
    ...(onActions && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? { workflowRunUrl: `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` }
      : {}),
    ...(onActions && Number.isInteger(runNumber) && runNumber > 0 ? { workflowRunNumber: runNumber } : {}),
  };
}

export function runMetadata(
  environment: RunEnvironment,
  started: Date,
  ended: Date,
  exitCode: number,
): RunMetadata {
  return {
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    durationMs: ended.getTime() - started.getTime(),
    exitCode,
    ...environment,
  };
}
