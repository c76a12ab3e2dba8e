/** The `run` action's inputs and outputs: names live here once, `as const`, and nowhere else. */
import { z } from "zod";
import {
  booleanInput,
  type InputReader,
  listInput,
  parseActionInputs,
  positiveIntegerInput,
  withDefault,
  WORKFLOW_TOKEN_DEFAULT,
} from "../../src/core/action/parse-action-inputs.js";

export const RUN_INPUTS = {
  stages: "stages",
  remote: "remote",
  jobs: "jobs",
  force: "force",
  push: "push",
  runCache: "run-cache",
  commitBack: "commit-back",
  commitMessage: "commit-message",
  token: "token",
  workingDirectory: "working-directory",
} as const;

/** Defaults shared with action.yml (a test checks they agree). */
export const RUN_DEFAULTS = {
  stages: "",
  remote: "",
  jobs: "1",
  force: "false",
  push: "true",
  runCache: "true",
  commitBack: "true",
  commitMessage: "trainyard: update lock, metrics and cards [skip ci]",
  token: WORKFLOW_TOKEN_DEFAULT,
  workingDirectory: ".",
} as const satisfies Record<keyof typeof RUN_INPUTS, string>;

export const RUN_OUTPUTS = {
  stagesRan: "stages-ran",
  metrics: "metrics",
  registryVersion: "registry-version",
  commit: "commit",
  plotsHtml: "plots-html",
} as const;

/** Inputs earlier drafts accepted; a workflow still passing one gets told where it went. */
export const RUN_RENAMED = {
  commit: { replacement: RUN_INPUTS.commitBack, hint: 'It takes "true" or "false".' },
  "github-token": { replacement: RUN_INPUTS.token, hint: "The default is the workflow's GITHUB_TOKEN." },
} as const;

const schema = z.object({
  stages: listInput,
  remote: z.string(),
  jobs: withDefault(RUN_DEFAULTS.jobs, positiveIntegerInput),
  force: booleanInput(RUN_DEFAULTS.force),
  push: booleanInput(RUN_DEFAULTS.push),
  runCache: booleanInput(RUN_DEFAULTS.runCache),
  commitBack: booleanInput(RUN_DEFAULTS.commitBack),
  commitMessage: withDefault(RUN_DEFAULTS.commitMessage, z.string()),
  token: z.string(),
  workingDirectory: withDefault(RUN_DEFAULTS.workingDirectory, z.string()),
});

export type RunInputs = z.output<typeof schema>;

export function readRunInputs(read: InputReader): RunInputs {
  return parseActionInputs(schema, RUN_INPUTS, read, RUN_RENAMED);
}
