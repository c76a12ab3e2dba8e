/**
 * Runs one of our GitHub Actions the way a runner does — the same runner module the bundle calls,
 * with `INPUT_*` variables, `GITHUB_*` context, an event payload file, and real `GITHUB_OUTPUT` /
 * `GITHUB_STEP_SUMMARY` files — against the demo's workspace and the loopback fake GitHub.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inputVariable } from "../../src/core/action/parse-action-inputs.js";
import { type ActionResult, parseStepOutputs } from "../../src/io/action/index.js";
import { FULL_NAME, WORKFLOW_TOKEN, type World } from "./world.js";

export type Runner = (env: Record<string, string>, fail: (message: string) => void) => Promise<ActionResult>;

export interface StepRun {
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly failure?: string;
}

let stepNumber = 0;

export async function runActionStep(
  world: World,
  runner: Runner,
  options: {
    inputs?: Record<string, string>;
    event: { name: string; payload: Record<string, unknown> };
    actor?: string;
    /** Variables the workflow sets for the step (its `env:`). */
    env?: Record<string, string>;
  },
): Promise<StepRun> {
  stepNumber++;
  const dir = join(world.root, "runner");
  const outputFile = join(dir, `output-${stepNumber}`);
  const summaryFile = join(dir, `summary-${stepNumber}.md`);
  const eventFile = join(dir, `event-${stepNumber}.json`);
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  writeFileSync(eventFile, JSON.stringify(options.event.payload));
  // The runner's scratch folder, emptied after each job on GitHub; here it goes with the world.
  const temp = join(dir, "temp");
  mkdirSync(temp, { recursive: true });
  const branch = world.git("rev-parse", "--abbrev-ref", "HEAD").trim();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: FULL_NAME,
    GITHUB_API_URL: world.fake.url,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: world.workspace,
    GITHUB_SHA: world.git("rev-parse", "HEAD").trim(),
    GITHUB_REF: `refs/heads/${branch}`,
    GITHUB_RUN_ID: String(7000 + stepNumber),
    GITHUB_ACTOR: options.actor ?? "github-actions[bot]",
    RUNNER_TEMP: temp,
    ...options.env,
  };
  for (const [name, value] of Object.entries({ token: WORKFLOW_TOKEN, ...options.inputs })) {
    env[inputVariable(name)] = value;
  }
  let failure: string | undefined;
  const result = await runner(env, (message) => {
    failure = message;
  });
  if (!result.ok && !failure) failure = result.error.message;
  return {
    outputs: parseStepOutputs(readFileSync(outputFile, "utf8")),
    summary: readFileSync(summaryFile, "utf8"),
    ...(failure ? { failure } : {}),
  };
}
