/**
 * Gate results as GitHub records them: the `trainyard / <model>` check run on a commit.
 * The bot is stateless, so "did this model pass its gates?" is answered from the check run,
 * never from memory. Only runs our own app created count (any app or workflow with
 * `checks: write` can post a run with that name), and only `success` passes (fail closed).
 */
import { type AppIdentity, type AppRef, codeSpan, inlineText, isOwnCheckRun } from "../trust/index.js";

export const CHECK_NAME_PREFIX = "trainyard / ";

export function checkRunName(model: string): string {
  return `${CHECK_NAME_PREFIX}${model}`;
}

/** A model's gate verdict as read from its latest check run (undefined: no check run). */
export interface GateVerdict {
  conclusion: string | null;
  /** The check run's title, which names the failing gates. */
  title?: string;
}

export type GateVerdicts = ReadonlyMap<string, GateVerdict>;

/** Our latest check run per `trainyard / <model>` name (highest id wins: it was created last). */
export function verdictsFromCheckRuns(
  runs: readonly {
    id: number;
    name: string;
    conclusion: string | null;
    output?: { title?: string | null };
    app?: AppRef | null;
  }[],
  us: AppIdentity,
): Map<string, GateVerdict> {
  const latest = new Map<string, (typeof runs)[number]>();
  for (const run of runs) {
    if (!run.name.startsWith(CHECK_NAME_PREFIX) || !isOwnCheckRun(run, us)) continue;
    const model = run.name.slice(CHECK_NAME_PREFIX.length);
    const seen = latest.get(model);
    if (!seen || run.id > seen.id) latest.set(model, run);
  }
  const out = new Map<string, GateVerdict>();
  for (const [model, run] of latest) {
    out.set(model, { conclusion: run.conclusion, ...(run.output?.title ? { title: run.output.title } : {}) });
  }
  return out;
}

/**
 * Why a model may not be promoted on the strength of its check, or undefined when it passed.
 * The check title is built from config keys a pull request controls: it is echoed escaped.
 */
export function gateProblem(model: string, verdict: GateVerdict | undefined): string | undefined {
  const name = codeSpan(checkRunName(model));
  if (!verdict) return `no ${name} check ran on this commit, so its gates are unknown`;
  if (verdict.conclusion === "success") return undefined;
  const detail = verdict.title ? `: ${inlineText(verdict.title, 300)}` : "";
  if (verdict.conclusion === null) return `the ${name} check has not finished`;
  return `the ${name} check concluded ${codeSpan(verdict.conclusion)}${detail}`;
}
