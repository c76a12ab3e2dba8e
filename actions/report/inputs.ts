/** The `report` action's inputs and outputs (names `as const`, defaults shared with action.yml). */
import { z } from "zod";
import { projectDirProblem, ROOT_PROJECT } from "../../src/core/projects.js";
import {
  booleanInput,
  type InputReader,
  parseActionInputs,
  WORKFLOW_TOKEN_DEFAULT,
} from "../../src/core/action/parse-action-inputs.js";

export const REPORT_INPUTS = {
  token: "token",
  pullRequest: "pull-request",
  failOnGate: "fail-on-gate",
  workingDirectory: "working-directory",
} as const;

export const REPORT_DEFAULTS = {
  token: WORKFLOW_TOKEN_DEFAULT,
  pullRequest: "",
  failOnGate: "false",
  workingDirectory: ".",
} as const satisfies Record<keyof typeof REPORT_INPUTS, string>;

export const REPORT_OUTPUTS = {
  conclusion: "conclusion",
  models: "models",
} as const;

export const REPORT_RENAMED = {
  "github-token": { replacement: REPORT_INPUTS.token, hint: "The default is the workflow's GITHUB_TOKEN." },
  "pr-number": {
    replacement: REPORT_INPUTS.pullRequest,
    hint: "Empty uses the pull request that triggered the run.",
  },
} as const;

const schema = z.object({
  token: z.string().min(1, "a token is required to comment and create check runs"),
  pullRequest: z.union([
    z.literal("").transform(() => undefined),
    z
      .string()
      .regex(/^[1-9][0-9]*$/, "expected a pull request number")
      .transform(Number),
  ]),
  failOnGate: booleanInput(REPORT_DEFAULTS.failOnGate),
  // Read through the API (no checkout needed): a project folder of the repository, or "." for all.
  workingDirectory: z
    .string()
    .transform((text) => text.replace(/^(\.\/)+/, "").replace(/\/+$/, ""))
    .transform((dir) => (dir === "." ? ROOT_PROJECT : dir))
    .superRefine((dir, ctx) => {
      const problem = projectDirProblem(dir);
      if (problem) ctx.addIssue({ code: "custom", message: `not a project folder: the path ${problem}` });
    }),
});

export type ReportInputs = z.output<typeof schema>;

export function readReportInputs(read: InputReader): ReportInputs {
  return parseActionInputs(schema, REPORT_INPUTS, read, REPORT_RENAMED);
}
