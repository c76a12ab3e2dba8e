/**
 * Experiments from a pull request: what `/trainyard exp` dispatches (one `repository_dispatch`
 * carrying every variant, fanned out by the workflow as a matrix), how a matrix job names itself so
 * its completion can be traced back to the pull request, and the signed record the bot keeps of each
 * dispatch. Pure.
 */
import type { Overrides, ParamValue } from "./sweep.js";

/** The `repository_dispatch` event type the example `experiments.yml` listens to. */
export const EXPERIMENTS_EVENT = "trainyard-experiments";
/** The workflow's `name:`; its jobs' completions refresh the experiments comment. */
export const EXPERIMENTS_WORKFLOW = "trainyard experiments";
/** Marker kind of the bot's record of one dispatch (in its reply to the command). */
export const DISPATCH_RECORD_KIND = "exp-dispatch";

export interface DispatchedVariant {
  name: string;
  /** `-S` arguments reproducing exactly this variant's overrides, one value each. */
  sets: string[];
}

/** `client_payload` of the dispatch; the matrix is `fromJSON(...)` of `variants`. */
export interface ExperimentsPayload {
  pull: number;
  /** The commit every variant starts from: the pull request's head when the command ran. */
  base: string;
  variants: DispatchedVariant[];
  requested_by: string;
}

export interface DispatchRecord {
  /** `owner/name`, lower case. */
  repo: string;
  pull: number;
  base: string;
  names: string[];
  by: string;
}

/**
 * One `-S key=value` whose value parses back to exactly `value`: JSON is YAML, so strings stay
 * strings (`"10"` is not the number 10) and `null`/`true` keep their type. A value never holds a
 * comma (the sweep grammar split on commas first), so it is never read back as a list.
 */
export function formatSetArg(key: string, value: ParamValue): string {
  return `${key}=${JSON.stringify(value)}`;
}

export function dispatchedVariants(
  names: readonly string[],
  variants: readonly Overrides[],
): DispatchedVariant[] {
  return variants.map((overrides, i) => ({
    name: names[i] as string,
    sets: overrides.map(([key, value]) => formatSetArg(key, value)),
  }));
}

/** The matrix job's `name:` in experiments.yml: `trainyard exp #<pull> <variant>`. */
export function experimentJobName(pull: number, name: string): string {
  return `trainyard exp #${pull} ${name}`;
}

/** The pull request a matrix job ran for, read from its name; undefined for any other job. */
export function pullOfExperimentJob(jobName: string): number | undefined {
  const match = /^trainyard exp #([1-9]\d{0,9}) \S+$/.exec(jobName);
  return match ? Number(match[1]) : undefined;
}

export function isDispatchRecord(value: unknown): value is DispatchRecord {
  const v = value as Partial<DispatchRecord> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.repo === "string" &&
    typeof v.pull === "number" &&
    typeof v.base === "string" &&
    /^[0-9a-f]{40,64}$/.test(v.base) &&
    Array.isArray(v.names) &&
    v.names.every((n) => typeof n === "string") &&
    typeof v.by === "string"
  );
}

/**
 * The experiments a pull request's comment shows: those of its latest dispatch's base, with every
 * name dispatched on that base (a later dispatch on the same base adds to the earlier ones).
 */
export function currentDispatch(
  records: readonly DispatchRecord[],
): { base: string; names: string[] } | undefined {
  const latest = records.at(-1);
  if (!latest) return undefined;
  const names = new Set(records.filter((r) => r.base === latest.base).flatMap((r) => r.names));
  return { base: latest.base, names: [...names] };
}
