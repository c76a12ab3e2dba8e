/** Names and paths shared by every part of the trainyard.yaml schema. */
import { z } from "zod";

/** Stage, model and remote names: safe in file names, git tags (GTO grammar) and log prefixes. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const name = (what: string) =>
  z
    .string()
    .regex(NAME_PATTERN, `a ${what} name of letters, digits, "_" or "-" (starting with a letter or digit)`);

/**
 * Model (registry artifact) and registry stage names end up in git tags (`iris@v1.2.0`,
 * `iris#production#3`), whose GTO grammar takes letters, digits, "-" and "_" (and "/", left out
 * here because model names also name files), starting and ending with a letter or digit; checking
 * here reports a bad name at load time with its position, not at the first merge.
 */
// Written without "](" so the pattern shown in docs/config.md is not read as a Markdown link.
export const REGISTRY_NAME_PATTERN = /^(?!.*[_-]$)[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const registryName = (what: string) =>
  z
    .string()
    .regex(
      REGISTRY_NAME_PATTERN,
      `a ${what} name of letters, digits, "-" and "_", starting and ending with a letter or digit (as GTO registry tags require)`,
    );

export { depList, pathList, repoPath, stagePath } from "./schema-paths.js";
