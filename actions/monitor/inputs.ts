/** The `monitor` action's inputs and outputs (names `as const`, defaults shared with action.yml). */
import { z } from "zod";
import {
  booleanInput,
  type InputReader,
  listInput,
  parseActionInputs,
  withDefault,
  WORKFLOW_TOKEN_DEFAULT,
} from "../../src/core/action/parse-action-inputs.js";

export const MONITOR_INPUTS = {
  token: "token",
  issue: "issue",
  labels: "labels",
  dispatch: "dispatch",
  workingDirectory: "working-directory",
} as const;

export const MONITOR_DEFAULTS = {
  token: WORKFLOW_TOKEN_DEFAULT,
  issue: "true",
  labels: "trainyard,monitoring",
  dispatch: "true",
  workingDirectory: ".",
} as const satisfies Record<keyof typeof MONITOR_INPUTS, string>;

export const MONITOR_OUTPUTS = {
  breached: "breached",
  issueNumber: "issue-number",
  dispatched: "dispatched",
  report: "report",
} as const;

export const MONITOR_RENAMED = {
  "github-token": { replacement: MONITOR_INPUTS.token, hint: "The default is the workflow's GITHUB_TOKEN." },
  retrain: { replacement: MONITOR_INPUTS.dispatch, hint: "It sends repository_dispatch trainyard-retrain." },
} as const;

const schema = z.object({
  token: z.string().min(1, "a token is required to open issues and send repository_dispatch"),
  issue: booleanInput(MONITOR_DEFAULTS.issue),
  labels: withDefault(MONITOR_DEFAULTS.labels, listInput),
  dispatch: booleanInput(MONITOR_DEFAULTS.dispatch),
  workingDirectory: withDefault(MONITOR_DEFAULTS.workingDirectory, z.string()),
});

export type MonitorInputs = z.output<typeof schema>;

export function readMonitorInputs(read: InputReader): MonitorInputs {
  return parseActionInputs(schema, MONITOR_INPUTS, read, MONITOR_RENAMED);
}
