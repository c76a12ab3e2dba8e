/**
 * The fan-out workflow (examples/iris/.github/workflows/fan-out.yml) played step by step: a plan
 * job runs `trainyard pull` + `trainyard plan --json`; each dependency level then runs as matrix
 * jobs, each a fresh runner (fresh clone, empty local store) running the `run` action for its one
 * stage against the shared S3 remote and committing its result back.
 */
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { run } from "../../actions/run/runner.js";
import { type ActionHarness, startActionHarness } from "../helpers/action-harness.js";
import { copyExample, PROJECT_ROOT } from "../helpers/copy-example.js";
import { motoServerAvailable, type S3TestServer, startS3Server, TEST_AWS_ENV } from "../helpers/s3-server.js";
import { runCli } from "../helpers/temp-repo.js";

const BUCKET = "trainyard-fan-out";
const WORKFLOW = join(PROJECT_ROOT, "examples/iris/.github/workflows/fan-out.yml");
let s3: S3TestServer;
let h: ActionHarness;
let runners = 0;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);

/** A fresh runner: a new clone of the branch tip with its own (empty) local store. */
function freshRunner(): string {
  const dir = h.origin.clone(`runner-${++runners}`);
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** The plan job: pull, plan, and the workflow's own jq turning the plan into matrix levels. */
async function planJob(): Promise<string[][]> {
  const dir = freshRunner();
  expect((await runCli(["pull", "--remote", "team"], { cwd: dir })).code).toBe(0);
  const planned = await runCli(["plan", "--json"], { cwd: dir });
  expect(planned.code).toBe(0);
  const plan = planned.json<{ levels: { stage: string }[][] }>();
  return plan.levels.map((level) => level.map((s) => s.stage)); // jq: [.levels[] | map(.stage)]
}

describe.skipIf(!motoServerAvailable())("fan-out workflow", () => {
  beforeAll(async () => {
    s3 = await startS3Server([BUCKET]);
    Object.assign(process.env, TEST_AWS_ENV);
    h = await startActionHarness((dir) => {
      copyExample("iris", dir);
      const config = readFileSync(join(dir, "trainyard.yaml"), "utf8");
      writeFileSync(
        join(dir, "trainyard.yaml"),
        `${config}store:\n  default: local\n  remotes:\n    local: { url: .trainyard/store }\n    team: { url: "s3://${BUCKET}/iris", endpoint: "${s3.endpoint}", region: us-east-1, force_path_style: true }\n`,
      );
    });
  });
  afterAll(async () => {
    await h?.stop();
    await s3?.stop();
  });

  it("turns the plan into matrix levels with the workflow's own expression", () => {
    const workflow = parse(readFileSync(WORKFLOW, "utf8")) as {
      jobs: { plan: { steps: { id?: string; run?: string }[] } };
    };
    const planStep = workflow.jobs.plan.steps.find((s) => s.id === "plan");
    expect(planStep?.run).toContain("trainyard plan --json");
    expect(planStep?.run).toContain("jq -c '[.levels[] | map(.stage)]'");
  });

  it("runs each level as matrix jobs on fresh runners that share the S3 remote", async () => {
    const levels = await planJob();
    expect(levels).toEqual([["prepare"], ["train"], ["evaluate"]]);
    for (const level of levels) {
      const jobs = await Promise.all(
        level.map(async (stage) => {
          const workspace = freshRunner();
          const result = await run(
            {
              ...h.env({ stages: stage, remote: "team" }, { name: "workflow_dispatch" }),
              GITHUB_WORKSPACE: workspace,
            },
            fail,
          );
          return { stage, result, outputs: h.outputs() };
        }),
      );
      expect(failures).toEqual([]);
      for (const job of jobs) {
        expect(job.result.ok).toBe(true);
        // Upstream outs came from the shared remote: each job ran only its own stage.
        expect(JSON.parse(job.outputs["stages-ran"]!)).toEqual([job.stage]);
      }
    }
    const check = freshRunner();
    const lock = readFileSync(join(check, "trainyard.lock"), "utf8");
    for (const stage of ["prepare", "train", "evaluate"])
      expect(lock).toMatch(new RegExp(`^ {2}${stage}:$`, "m"));
    // A last fresh runner pulls everything from the remote and finds nothing left to run.
    const final = await run(
      { ...h.env({ remote: "team" }, { name: "workflow_dispatch" }), GITHUB_WORKSPACE: freshRunner() },
      fail,
    );
    expect(final.ok).toBe(true);
    expect(h.outputs()).toMatchObject({ "stages-ran": "[]", commit: "" });
  });
});
