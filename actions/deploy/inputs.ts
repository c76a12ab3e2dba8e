/** The `deploy` action's inputs and outputs (names `as const`, defaults shared with action.yml). */
import { z } from "zod";
import {
  type InputReader,
  parseActionInputs,
  WORKFLOW_TOKEN_DEFAULT,
  withDefault,
} from "../../src/core/action/parse-action-inputs.js";

export const DEPLOY_INPUTS = {
  remote: "remote",
  token: "token",
  workingDirectory: "working-directory",
} as const;

export const DEPLOY_DEFAULTS = {
  remote: "",
  token: WORKFLOW_TOKEN_DEFAULT,
  workingDirectory: ".",
} as const satisfies Record<keyof typeof DEPLOY_INPUTS, string>;

export const DEPLOY_OUTPUTS = {
  model: "model",
  version: "version",
  stage: "stage",
  sha256: "sha256",
  state: "state",
  rolledBackTo: "rolled-back-to",
} as const;

const schema = z.object({
  remote: z.string(),
  token: z.string(),
  workingDirectory: withDefault(DEPLOY_DEFAULTS.workingDirectory, z.string()),
});

export type DeployInputs = z.output<typeof schema>;

export function readDeployInputs(read: InputReader): DeployInputs {
  return parseActionInputs(schema, DEPLOY_INPUTS, read);
}
