/**
 * The fan-out workflow (examples/iris/.github/workflows/fan-out.yml) played job by job, each job a
 * separate process on a fresh runner (fresh clone, its own empty local store) and one S3 server:
 * the plan job runs `trainyard pull` + `trainyard plan --json`; each dependency level runs the `run`
 * action for its one stage with the inputs the workflow gives it; no artifact moves between jobs,
 * so a later level can only get its upstream stages from the shared run cache. The last job
 * restores every stage from the run cache with no `node` on its PATH (any real execution of a
 * stage would fail) and commits once.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type ActionHarness, startActionHarness } from "../helpers/action-harness.js";
import { copyExample, PROJECT_ROOT } from "../../support/copy-example.js";
import {
  motoServerAvailable,
  type S3TestServer,
  startS3Server,
  TEST_AWS_ENV,
} from "../../support/s3-server.js";
import { runCli } from "../helpers/temp-repo.js";

const BUCKET = "trainyard-fan-out";
const WORKFLOW = join(PROJECT_ROOT, "examples/iris/.github/workflows/fan-out.yml");
const ACTION_ENTRY = join(PROJECT_ROOT, "actions/run/main.ts");
const TSX = join(PROJECT_ROOT, "node_modules/tsx/dist/esm/index.mjs");
let s3: S3TestServer;
let h: ActionHarness;
let runners = 0;

interface Step {
  id?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string | boolean>;
}
interface Workflow {
  jobs: Record<string, { steps: Step[] }>;
}
const workflow = () => parse(readFileSync(WORKFLOW, "utf8")) as Workflow;

/** The `with:` of a job's trainyard step, its expressions evaluated for this job. */
function actionInputs(job: string, values: Record<string, string>): Record<string, string> {
  const step = workflow().jobs[job]!.steps.find((s) => s.uses?.startsWith("trainyard/trainyard"));
  return Object.fromEntries(
    Object.entries(step?.with ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
        if (!(expression in values)) throw new Error(`no value for \${{ ${expression} }} in ${job}`);
        return values[expression]!;
      }),
    ]),
  );
}

/** A fresh runner: a new clone of the branch tip with its own (empty) local store. */
function freshRunner(): string {
  const dir = h.origin.clone(`runner-${++runners}`);
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** One job: the run action's bundle entry in its own process, as GitHub starts it. */
async function actionJob(
  workspace: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
) {
  const env = { ...process.env, ...TEST_AWS_ENV, ...h.env(inputs), GITHUB_WORKSPACE: workspace, ...extraEnv };
  const child: ChildProcess = spawn(process.execPath, ["--import", TSX, ACTION_ENTRY], {
    cwd: workspace,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, outputs: h.outputs() };
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
    const planStep = workflow().jobs.plan!.steps.find((s) => s.id === "plan");
    expect(planStep?.run).toContain("trainyard plan --json");
    expect(planStep?.run).toContain("jq -c '[.levels[] | map(.stage)]'");
  });

  it("runs each level as a separate process with its own store; upstream comes from the run cache", async () => {
    const plan = freshRunner();
    expect((await runCli(["pull", "--remote", "team"], { cwd: plan })).code).toBe(0);
    const planned = await runCli(["plan", "--json"], { cwd: plan });
    expect(planned.code).toBe(0);
    const levels = planned.json<{ levels: { stage: string }[][] }>().levels.map((l) => l.map((s) => s.stage));
    expect(levels).toEqual([["prepare"], ["train"], ["evaluate"]]);

    for (const [index, level] of levels.entries()) {
      for (const stage of level) {
        const inputs = actionInputs(`level-${index}`, {
          "matrix.stage": stage,
          "vars.TRAINYARD_REMOTE": "team",
        });
        expect(inputs).toMatchObject({ stages: stage, "commit-back": "false" });
        const job = await actionJob(freshRunner(), inputs);
        expect(job.code, job.stdout).toBe(0);
        expect(job.stdout).toMatch(new RegExp(`■ ${stage}: ran `));
        // Every upstream stage came back from the remote's run cache: no artifacts, no re-run.
        for (const upstream of levels.slice(0, index).flat()) {
          expect(job.stdout).toMatch(
            new RegExp(
              `■ ${upstream}: restored \\(\\d+ ms\\) from the run cache \\(first computed at [0-9a-f]{7} .*record from remote "team"\\)`,
            ),
          );
        }
        expect(job.outputs.commit).toBe("");
      }
    }

    // The commit job, with no `node` on PATH: any stage that really ran would fail.
    const noNode = join(h.origin.root, "bin-without-node");
    mkdirSync(noNode, { recursive: true });
    symlinkSync(
      execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim(),
      join(noNode, "git"),
    );
    const commit = await actionJob(
      freshRunner(),
      actionInputs("commit", { "inputs.stages": "", "vars.TRAINYARD_REMOTE": "team" }),
      { PATH: noNode },
    );
    expect(commit.code, commit.stdout).toBe(0);
    expect(commit.stdout).not.toMatch(/■ \w+: ran/);
    expect(JSON.parse(commit.outputs["stages-ran"]!)).toEqual(["prepare", "train", "evaluate"]);
    expect(commit.outputs.commit).toMatch(/^[0-9a-f]{40}$/);

    // A last fresh runner pulls the committed result and finds nothing left to run.
    const check = freshRunner();
    const lock = readFileSync(join(check, "trainyard.lock"), "utf8");
    for (const stage of ["prepare", "train", "evaluate"])
      expect(lock).toMatch(new RegExp(`^ {2}${stage}:$`, "m"));
    const final = await actionJob(check, { remote: "team" });
    expect(final.code, final.stdout).toBe(0);
    expect(final.outputs).toMatchObject({ "stages-ran": "[]", commit: "" });
  }, 300_000);
});
