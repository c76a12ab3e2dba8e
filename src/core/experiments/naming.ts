/**
 * Experiment names become part of a git ref (`refs/trainyard/exp/<base>/<name>`), so they are held
 * to a small safe alphabet; a name not given is derived from the base and the overrides, so running
 * the same variant twice lands on the same name. Pure.
 */
import { createHash } from "node:crypto";
import { TrainyardError } from "../errors.js";
import { canonicalJson } from "../fingerprint.js";
import type { Overrides } from "./sweep.js";

export const EXP_REF_PREFIX = "refs/trainyard/exp/";

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
const MAX_NAME = 100;

/** Why `name` cannot name an experiment, or undefined when it can. */
export function experimentNameProblem(name: string): string | undefined {
  if (name.length === 0) return "the name is empty";
  if (name.length > MAX_NAME) return `the name is longer than ${MAX_NAME} characters`;
  if (!SAFE_NAME.test(name)) {
    return "use letters, digits, '-', '_' and single dots inside the name (no '/', spaces, '..' or a leading '.' or '-')";
  }
  if (name.endsWith(".lock")) return "the name must not end in .lock";
  return undefined;
}

export function assertExperimentName(name: string): string {
  const problem = experimentNameProblem(name);
  if (problem) throw new TrainyardError("usage", `experiment name ${JSON.stringify(name)}: ${problem}`);
  return name;
}

/** `exp-` and 8 hex digits of the hash of base and overrides (order of keys does not matter). */
export function autoExperimentName(baseSha: string, overrides: Overrides): string {
  const digest = createHash("sha256")
    .update(canonicalJson({ base: baseSha, overrides: Object.fromEntries(overrides) }))
    .digest("hex");
  return `exp-${digest.slice(0, 8)}`;
}

/** The names for a sweep: `name` alone for one variant, `name-1…name-N` for several. */
export function sweepNames(baseSha: string, variants: readonly Overrides[], name?: string): string[] {
  if (name === undefined) return variants.map((v) => autoExperimentName(baseSha, v));
  assertExperimentName(name);
  return variants.length === 1 ? [name] : variants.map((_, i) => assertExperimentName(`${name}-${i + 1}`));
}

export function experimentRef(baseSha: string, name: string): string {
  return `${EXP_REF_PREFIX}${baseSha}/${assertExperimentName(name)}`;
}

/** Base and name of an experiment ref, or undefined for anything else under the prefix. */
export function parseExperimentRef(ref: string): { base: string; name: string } | undefined {
  if (!ref.startsWith(EXP_REF_PREFIX)) return undefined;
  const [base, name, ...rest] = ref.slice(EXP_REF_PREFIX.length).split("/");
  if (rest.length || !base || !name || !/^[0-9a-f]{40,64}$/.test(base) || experimentNameProblem(name))
    return undefined;
  return { base, name };
}
