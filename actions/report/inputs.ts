/** The `report` action's inputs and outputs (names `as const`, defaults shared with action.yml). */
import { z } from "zod";
import {
  booleanInput,
  type Env,
  parseActionInputs,
  withDefault,
  WORKFLOW_TOKEN_DEFAULT,
} from "../../src/core/action/parse-action-inputs.js";

export const REPORT_INPUTS = {
  token: "token",
  base: "base",
  comment: "comment",
  checkRun: "check-run",
  workingDirectory: "working-directory",
} as const;

export const REPORT_DEFAULTS = {
  token: WORKFLOW_TOKEN_DEFAULT,
  base: "",
  comment: "true",
  checkRun: "true",
  workingDirectory: ".",
} as const satisfies Record<keyof typeof REPORT_INPUTS, string>;

export const REPORT_OUTPUTS = {
  commentId: "comment-id",
  conclusion: "conclusion",
} as const;

export const REPORT_RENAMED = {
  "github-token": { replacement: REPORT_INPUTS.token, hint: "The default is the workflow's GITHUB_TOKEN." },
  check: { replacement: REPORT_INPUTS.checkRun, hint: 'It takes "true" or "false".' },
} as const;

const schema = z.object({
  token: z.string().min(1, "a token is required to comment and create check runs"),
  base: z.string(),
  comment: withDefault(REPORT_DEFAULTS.comment, booleanInput),
  checkRun: withDefault(REPORT_DEFAULTS.checkRun, booleanInput),
  workingDirectory: withDefault(REPORT_DEFAULTS.workingDirectory, z.string()),
});

export type ReportInputs = z.output<typeof schema>;

export function readReportInputs(env: Env): ReportInputs {
  return parseActionInputs("report", schema, REPORT_INPUTS, env, REPORT_RENAMED);
}
