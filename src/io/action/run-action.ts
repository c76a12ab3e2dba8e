/**
 * The frame every action runner shares: run the body in the step's environment, set its outputs,
 * and turn a thrown error into a failed step instead of a stack trace. User mistakes
 * (TrainyardError) print plainly, as annotations on the file and line they name, so a config or
 * pointer error shows on the pull request's diff; anything else is flagged as an internal bug.
 */
import { ExitCode } from "@actions/core";
import type { Env } from "../../core/action/parse-action-inputs.js";
import { TrainyardError, TrainyardErrors, toError } from "../../core/errors.js";
import { withStepEnvironment } from "./step-environment.js";
import { type Annotation, annotateError, setOutputs } from "./toolkit.js";

export type ActionResult =
  | { readonly ok: true; readonly outputs: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly error: Error };

/** How a runner reports failure; the default annotates and fails the step, tests pass their own. */
export type FailStep = (message: string, annotation?: Annotation) => void;

export const failStep: FailStep = (message, annotation) => {
  annotateError(message, annotation);
  process.exitCode = ExitCode.Failure;
};

/** What the body tells the frame while it runs. */
export interface StepFrame {
  /** Where the repository sits in the workspace ("" for its root): annotation paths start there. */
  sourceRoot: string;
}

export async function runAction(
  action: string,
  env: Env,
  fail: FailStep,
  body: (frame: StepFrame) => Promise<Readonly<Record<string, string>>>,
): Promise<ActionResult> {
  return withStepEnvironment(env, async () => {
    const frame: StepFrame = { sourceRoot: "" };
    try {
      const outputs = await body(frame);
      setOutputs(outputs);
      return { ok: true, outputs };
    } catch (thrown) {
      const error = toError(thrown);
      if (!(error instanceof TrainyardError)) {
        fail(`${action}: internal error (please report it): ${error.stack ?? error.message}`);
      } else {
        const located = error instanceof TrainyardErrors ? error.errors : [error];
        for (const one of located) fail(`${action}: ${one.message}`, annotationOf(one, frame.sourceRoot));
      }
      return { ok: false, error };
    }
  });
}

/** The annotation's place: the file relative to the workspace (a revision suffix dropped), line, column. */
function annotationOf(error: TrainyardError, sourceRoot: string): Annotation {
  const location = error.location;
  if (!location) return {};
  const title = `Trainyard: ${error.code} error`;
  const file = location.file.replace(/@[0-9a-f]{7,40}$/, "");
  return {
    title,
    file: sourceRoot ? `${sourceRoot}/${file}` : file,
    ...(location.line !== undefined ? { startLine: location.line } : {}),
    ...(location.column !== undefined ? { startColumn: location.column } : {}),
  };
}
