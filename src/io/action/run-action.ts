/**
 * The frame every action runner shares: run the body, write its outputs to `GITHUB_OUTPUT`, and turn
 * a thrown error into a failed step (`::error::` annotation + exit code) instead of a stack trace.
 * User mistakes (TrainyardError) print plainly; anything else is flagged as an internal bug.
 */
import type { Env } from "../../core/action/parse-action-inputs.js";
import { TrainyardError, toError } from "../../core/errors.js";
import { writeActionOutputs } from "./write-action-outputs.js";

export type ActionResult =
  | { readonly ok: true; readonly outputs: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly error: Error };

/** How a runner reports failure; the default marks the process failed, tests pass their own. */
export type FailStep = (message: string) => void;

export const failStep: FailStep = (message) => {
  process.stdout.write(`::error::${escapeCommandData(message)}\n`);
  process.exitCode = 1;
};

export async function runAction(
  action: string,
  env: Env,
  fail: FailStep,
  body: () => Promise<Readonly<Record<string, string>>>,
): Promise<ActionResult> {
  try {
    const outputs = await body();
    await writeActionOutputs(env, outputs);
    return { ok: true, outputs };
  } catch (thrown) {
    const error = toError(thrown);
    const message =
      error instanceof TrainyardError
        ? `${action}: ${error.message}`
        : `${action}: internal error (please report it): ${error.stack ?? error.message}`;
    fail(message);
    return { ok: false, error };
  }
}

/** Workflow commands end at a newline; GitHub's escaping keeps multi-line messages in one annotation. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A log line that the Actions UI folds, for long step output. */
export function logGroup(title: string, lines: readonly string[]): void {
  process.stdout.write(`::group::${escapeCommandData(title)}\n${lines.join("\n")}\n::endgroup::\n`);
}
