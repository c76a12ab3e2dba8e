/**
 * The actions' one port to the runner, on `@actions/core` and `@actions/github`: inputs, outputs,
 * the job summary, masking, log groups and annotations. Runners and steps call these, never write
 * workflow commands or environment files themselves.
 */
import * as core from "@actions/core";
import type { InputReader } from "../../core/action/parse-action-inputs.js";

/** Inputs as `@actions/core` reads them (trimmed; booleans by the YAML 1.2 core words). */
export const actionInputs: InputReader = {
  text: (name) => core.getInput(name),
  boolean: (name) => core.getBooleanInput(name),
};

export function setOutputs(outputs: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

/**
 * Hides a credential in the job log from here on, in the forms it can appear in: as it is, and as
 * the base64 of `x-access-token:<token>` that HTTP basic authentication sends.
 */
export function maskSecret(value: string): void {
  if (!value) return;
  core.setSecret(value);
  core.setSecret(Buffer.from(`x-access-token:${value}`).toString("base64"));
}

export type JobSummary = typeof core.summary;

/**
 * A fresh job summary builder. The exported `core.summary` is one object per process that keeps
 * its buffer and the summary file of the first step that wrote; each step builds its own.
 */
export function newJobSummary(): JobSummary {
  const Summary = core.summary.constructor as new () => JobSummary;
  return new Summary();
}

/** Folds `body`'s log lines under `title` in the Actions UI. */
export function logGroup<T>(title: string, body: () => Promise<T>): Promise<T> {
  return core.group(title, body);
}

export function startLogGroup(title: string): void {
  core.startGroup(title);
}

export function endLogGroup(): void {
  core.endGroup();
}

export function logInfo(line: string): void {
  core.info(line);
}

export type Annotation = core.AnnotationProperties;

/** An error annotation: on the file's line in the pull request diff when `properties` name one. */
export function annotateError(message: string, properties: Annotation = {}): void {
  core.error(message, properties);
}
