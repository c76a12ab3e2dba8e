/**
 * The `working-directory` input, resolved inside the workspace. The input is workflow text that a
 * pull request can change, and the action runs stage commands there and pushes from there, so a
 * path leaving the checkout (`..`, an absolute path, or a symlink pointing out) is refused.
 */
import { realpathSync } from "node:fs";
import { relative, resolve } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { isInsideDir } from "../../core/safe-path.js";

export interface WorkingDirectory {
  /** Absolute, symlinks resolved. */
  readonly path: string;
  /** Relative to the workspace ("" for the workspace itself), for annotations. */
  readonly relative: string;
}

export function resolveWorkingDirectory(workspace: string, input: string): WorkingDirectory {
  const root = realpathSync(workspace);
  const wanted = resolve(root, input || ".");
  const outside = () =>
    new TrainyardError("path", `working-directory "${input}" is outside the workspace ${root}`);
  if (!isInsideDir(root, wanted)) throw outside();
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch (cause) {
    throw new TrainyardError(
      "path",
      `working-directory "${input}" does not exist in the workspace`,
      undefined,
      {
        cause,
      },
    );
  }
  if (!isInsideDir(root, real)) throw outside();
  return { path: real, relative: relative(root, real) };
}
