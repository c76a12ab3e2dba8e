/**
 * The two files a step writes to talk back to the workflow: `GITHUB_OUTPUT` (step outputs) and
 * `GITHUB_STEP_SUMMARY` (the job summary Markdown). Same file format as `@actions/core`, but the
 * environment is a parameter so a test can point it at real temporary files.
 */
import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";
import type { Env } from "../../core/action/parse-action-inputs.js";

/** Appends `name<<delimiter` blocks so values may hold newlines (JSON, Markdown). */
export async function writeActionOutputs(env: Env, outputs: Readonly<Record<string, string>>): Promise<void> {
  const file = env.GITHUB_OUTPUT;
  let text = "";
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  // Outside Actions (a local run) there is no output file; the values are still logged.
  if (!file) {
    for (const [name, value] of Object.entries(outputs)) process.stdout.write(`output ${name}=${value}\n`);
    return;
  }
  await appendFile(file, text, "utf8");
}

/** Adds Markdown to the job summary; a no-op outside Actions. */
export async function appendJobSummary(env: Env, markdown: string): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  await appendFile(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`, "utf8");
}

/** Parses a `GITHUB_OUTPUT` file back into name → value (used by tests and by composite callers). */
export function parseActionOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!match) continue;
    const [, name, delimiter] = match as unknown as [string, string, string];
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? "");
    outputs[name] = value.join("\n");
  }
  return outputs;
}
