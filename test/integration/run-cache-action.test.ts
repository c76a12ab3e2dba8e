/**
 * The shared run cache through the `run` action's runner, as two GitHub-hosted jobs would use it:
 * two separate workspaces (fresh clones, each with its own empty local store) and one S3 remote.
 * The first trains P1 (workflow run #412) then P2; the second, after a commit reverting the params
 * to P1, restores both stages from the remote (the stage script fails if it is ever executed).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../actions/run/runner.js";
import { LOCK_FILE, parseLock } from "../../src/core/lock.js";
import { type ActionHarness, OWNER, REPO, startActionHarness } from "../helpers/action-harness.js";
import { git } from "../../support/git-origin.js";
import { FORBID_RUN, P1, P2, seedRunCacheProject, writeParams } from "../helpers/run-cache-project.js";
import {
  motoServerAvailable,
  type S3TestServer,
  startS3Server,
  TEST_AWS_ENV,
} from "../../support/s3-server.js";

const BUCKET = "trainyard-run-cache-action";
let s3: S3TestServer;
let h: ActionHarness;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);
/** What formatDuration prints: `850 ms`, `4 s`, `4 m 12 s`. */
const DURATION = String.raw`\d+ (?:ms|s|m \d+ s)`;
const lockOf = (dir: string) => parseLock(readFileSync(join(dir, LOCK_FILE), "utf8"));

/** One job of a workflow run: the runner's process environment, as GitHub sets it. */
async function job(workspace: string, runNumber: number, extra: Record<string, string> = {}) {
  const jobEnv = {
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_RUN_ID: String(90_000 + runNumber),
    GITHUB_RUN_NUMBER: String(runNumber),
    RUNNER_NAME: `hosted-${runNumber}`,
    ...extra,
  };
  const saved = Object.fromEntries(Object.keys(jobEnv).map((k) => [k, process.env[k]]));
  Object.assign(process.env, jobEnv);
  try {
    const result = await run({ ...h.env({ remote: "team" }), ...jobEnv, GITHUB_WORKSPACE: workspace }, fail);
    return { result, outputs: h.outputs(), summary: h.summary() };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function commitParams(workspace: string, params: typeof P1, message: string): string {
  git(workspace, "pull", "--quiet", "--rebase", "origin", "main");
  writeParams(workspace, params);
  git(workspace, "commit", "--quiet", "-am", message);
  git(workspace, "push", "--quiet", "origin", "HEAD:main");
  return git(workspace, "rev-parse", "HEAD").trim();
}

describe.skipIf(!motoServerAvailable())("run action with the shared run cache", () => {
  beforeAll(async () => {
    s3 = await startS3Server([BUCKET]);
    Object.assign(process.env, TEST_AWS_ENV);
    h = await startActionHarness((dir) => seedRunCacheProject(dir, s3, BUCKET, "action"));
  });
  afterAll(async () => {
    await h?.stop();
    await s3?.stop();
  });

  it("a second workspace restores both stages a first one computed, and says where from", async () => {
    const first = h.origin.clone("workspace-1");
    const p1Commit = git(first, "rev-parse", "HEAD").trim();
    const p1 = await job(first, 412);
    expect(failures).toEqual([]);
    expect(p1.result.ok).toBe(true);
    expect(JSON.parse(p1.outputs["stages-ran"]!)).toEqual(["prepare", "train"]);
    expect(p1.summary).toMatch(new RegExp(`\\| prepare \\| ran \\| ${DURATION} \\| {2}\\|`));
    const p1Lock = lockOf(first);

    commitParams(first, P2, "try P2");
    const p2 = await job(first, 413);
    expect(p2.result.ok).toBe(true);

    const second = h.origin.clone("workspace-2");
    commitParams(second, P1, "Revert to P1");
    const reverted = await job(second, 414, FORBID_RUN);
    expect(failures).toEqual([]);
    expect(reverted.result.ok).toBe(true);
    expect(JSON.parse(reverted.outputs["stages-ran"]!)).toEqual(["prepare", "train"]);
    for (const stage of ["prepare", "train"] as const) {
      expect(lockOf(second).stages[stage]?.outs).toEqual(p1Lock.stages[stage]?.outs);
      expect(reverted.summary).toMatch(
        new RegExp(
          `\\| ${stage} \\| restored from the run cache \\(remote team; first computed at ${p1Commit.slice(0, 7)} on \\d{4}-\\d{2}-\\d{2} by workflow run #412, saved ${DURATION}\\) \\| ${DURATION} \\| ${DURATION} \\|`,
        ),
      );
    }
    expect(reverted.summary).toMatch(/0 ran, 2 restored, 0 up to date; the run cache saved \d+ (ms|s)\./);
    // The restore committed the P1 lock back: the branch is consistent again.
    git(second, "pull", "--quiet", "origin", "main");
    expect(lockOf(second).stages.train?.fingerprint).toBe(p1Lock.stages.train?.fingerprint);
    writeFileSync(join(second, "probe"), ""); // the workspace stays usable
  }, 300_000);
});
