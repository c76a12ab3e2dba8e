/**
 * Gate results as GitHub records them: the `trainyard / <model>` check run on a commit.
 * The bot is stateless, so "did this model pass its gates?" is answered from the check run,
 * never from memory. Only `success` counts as passing (fail closed).
 */

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

/** Latest check run per `trainyard / <model>` name (highest id wins: it was created last). */
export function verdictsFromCheckRuns(
  runs: readonly {
    id: number;
    name: string;
    conclusion: string | null;
    output?: { title?: string | null };
  }[],
): Map<string, GateVerdict> {
  const latest = new Map<string, (typeof runs)[number]>();
  for (const run of runs) {
    if (!run.name.startsWith(CHECK_NAME_PREFIX)) continue;
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

/** Why a model may not be promoted on the strength of its check, or undefined when it passed. */
export function gateProblem(model: string, verdict: GateVerdict | undefined): string | undefined {
  if (!verdict) return `no \`${checkRunName(model)}\` check ran on this commit, so its gates are unknown`;
  if (verdict.conclusion === "success") return undefined;
  const detail = verdict.title ? `: ${verdict.title}` : "";
  if (verdict.conclusion === null) return `the \`${checkRunName(model)}\` check has not finished`;
  return `the \`${checkRunName(model)}\` check concluded \`${verdict.conclusion}\`${detail}`;
}
