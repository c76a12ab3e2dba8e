/**
 * `@actions/core` and `@actions/github` read a step's inputs, context and output files from
 * `process.env`, as GitHub sets it for the action's process. A runner handed another environment
 * (the tests, the demo, a caller running several steps in one process) installs it as the process
 * environment for the duration of the step and puts the old one back afterwards. Steps given their
 * own environment take turns, as steps on a runner do, so one step never reads another's inputs.
 */
import type { Env } from "../../core/action/parse-action-inputs.js";

/** Variables that belong to one step: a step given its own environment never sees another step's. */
const STEP_SCOPED = /^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|STATE_)/;

let turns: Promise<unknown> = Promise.resolve();

export function withStepEnvironment<T>(env: Env, body: () => Promise<T>): Promise<T> {
  if (env === process.env) return body();
  const turn = turns.then(() => installed(env, body));
  turns = turn.catch(() => undefined);
  return turn;
}

async function installed<T>(env: Env, body: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (STEP_SCOPED.test(name)) delete process.env[name];
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
  try {
    return await body();
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}
