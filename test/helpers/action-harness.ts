/**
 * Runs an action's runner the way GitHub runs the bundle: a workspace that is a real clone of a
 * bare `file://` origin, `INPUT_*` variables, `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` as real files,
 * `GITHUB_EVENT_PATH` holding a payload from @octokit/webhooks-examples, and `GITHUB_API_URL`
 * pointing at the loopback fake GitHub with a GITHUB_TOKEN-like token.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inputVariable } from "../../src/core/action/parse-action-inputs.js";
import { parseStepOutputs } from "../../src/io/action/index.js";
import { examplePayloads, type FakeGitHub, startFakeGitHub } from "../../support/fake-github/index.js";
import { createGitOrigin, type GitOrigin, git, type Seed } from "../../support/git-origin.js";

export const OWNER = "acme";
export const REPO = "iris";
export const TOKEN = "ghs_actiontoken";

export interface ActionHarness {
  readonly fake: FakeGitHub;
  readonly origin: GitOrigin;
  /** The runner's checkout (GITHUB_WORKSPACE). */
  readonly workspace: string;
  /** Environment for one step: inputs by their action.yml names, plus any GITHUB_* overrides. */
  env(inputs: Record<string, string>, event?: StepEvent): Record<string, string>;
  /** Outputs the last step wrote to its GITHUB_OUTPUT file. */
  outputs(): Record<string, string>;
  summary(): string;
  stop(): Promise<void>;
}

export interface StepEvent {
  readonly name: string;
  /** Changes applied to the example payload (e.g. a pull request's number and shas). */
  readonly patch?: (payload: Record<string, unknown>) => void;
}

/** A workspace cloned from an origin seeded with `seed`, and a fake GitHub that knows the repo. */
export async function startActionHarness(seed: Seed): Promise<ActionHarness> {
  const origin = createGitOrigin(seed, "ty-action-");
  const workspace = origin.clone("workspace");
  const fake = await startFakeGitHub();
  fake.state.createRepo({ owner: OWNER, name: REPO });
  fake.state.addToken(TOKEN, [`${OWNER}/${REPO}`]);
  const runner = join(origin.root, "runner");
  mkdirSync(runner, { recursive: true });
  let step = 0;
  let outputFile = "";
  let summaryFile = "";
  return {
    fake,
    origin,
    workspace,
    env(inputs, event = { name: "workflow_dispatch" }) {
      step++;
      outputFile = join(runner, `output-${step}`);
      summaryFile = join(runner, `summary-${step}`);
      writeFileSync(outputFile, "");
      writeFileSync(summaryFile, "");
      const payload = (examplePayloads(event.name)[0] ?? {}) as Record<string, unknown>;
      payload.repository = { ...(payload.repository as object), name: REPO, full_name: `${OWNER}/${REPO}` };
      event.patch?.(payload);
      const eventPath = join(runner, `event-${step}.json`);
      writeFileSync(eventPath, JSON.stringify(payload));
      const env: Record<string, string> = {
        GITHUB_ACTIONS: "true",
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_API_URL: fake.url,
        GITHUB_SERVER_URL: "https://github.example",
        GITHUB_EVENT_NAME: event.name,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_WORKSPACE: workspace,
        GITHUB_SHA: git(workspace, "rev-parse", "HEAD").trim(),
        GITHUB_REF: `refs/heads/${git(workspace, "rev-parse", "--abbrev-ref", "HEAD").trim()}`,
        GITHUB_RUN_ID: String(1000 + step),
      };
      for (const [name, value] of Object.entries({ token: TOKEN, ...inputs }))
        env[inputVariable(name)] = value;
      return env;
    },
    outputs: () => parseStepOutputs(readFileSync(outputFile, "utf8")),
    summary: () => readFileSync(summaryFile, "utf8"),
    async stop() {
      await fake.stop();
      origin.cleanup();
    },
  };
}
