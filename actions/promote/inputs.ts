/** The `promote` action's inputs and outputs (names `as const`, defaults shared with action.yml). */
import { z } from "zod";
import {
  type InputReader,
  parseActionInputs,
  WORKFLOW_TOKEN_DEFAULT,
  withDefault,
} from "../../src/core/action/parse-action-inputs.js";

export const PROMOTE_INPUTS = {
  model: "model",
  version: "version",
  bump: "bump",
  stage: "stage",
  ref: "ref",
  message: "message",
  token: "token",
  workingDirectory: "working-directory",
} as const;

export const PROMOTE_DEFAULTS = {
  model: "",
  version: "",
  bump: "minor",
  stage: "",
  ref: "",
  message: "",
  token: WORKFLOW_TOKEN_DEFAULT,
  workingDirectory: ".",
} as const satisfies Record<keyof typeof PROMOTE_INPUTS, string>;

export const PROMOTE_OUTPUTS = {
  version: "version",
  versionTag: "version-tag",
  stageTag: "stage-tag",
  deploymentId: "deployment-id",
} as const;

export const PROMOTE_RENAMED = {
  "github-token": { replacement: PROMOTE_INPUTS.token, hint: "The default is the workflow's GITHUB_TOKEN." },
  environment: {
    replacement: PROMOTE_INPUTS.stage,
    hint: "Stages are the ones listed under models.<name>.stages.",
  },
} as const;

const schema = z.object({
  model: z.string().min(1, "name the model to register or promote (a key under models: in trainyard.yaml)"),
  version: z.string().regex(/^(v\d+\.\d+\.\d+)?$/, 'expected a version such as "v1.2.0", or empty'),
  bump: withDefault(PROMOTE_DEFAULTS.bump, z.enum(["major", "minor", "patch"])),
  stage: z.string(),
  ref: z.string(),
  message: z.string(),
  token: z.string(),
  workingDirectory: withDefault(PROMOTE_DEFAULTS.workingDirectory, z.string()),
});

export type PromoteInputs = z.output<typeof schema>;

export function readPromoteInputs(read: InputReader): PromoteInputs {
  return parseActionInputs(schema, PROMOTE_INPUTS, read, PROMOTE_RENAMED);
}
