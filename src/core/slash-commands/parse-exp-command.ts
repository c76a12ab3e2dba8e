/**
 * `/trainyard exp <key=values>…` and `/trainyard exp apply <name>`: the sweep is parsed and expanded
 * here, with the CLI's own `-S` grammar, so a malformed or oversized sweep is refused before
 * anything is dispatched. Pure.
 */
import { TrainyardError } from "../errors.js";
import { experimentNameProblem } from "../experiments/naming.js";
import { expandGrid, type Overrides, parseSweepArg } from "../experiments/sweep.js";

/** Most variants one comment may dispatch: GitHub runs at most 256 jobs from one matrix. */
export const MAX_PR_VARIANTS = 256;

export type ExpCommand =
  | { kind: "exp"; sets: string[]; variants: Overrides[] }
  | { kind: "exp-apply"; name: string };

export type ExpParse = { ok: true; command: ExpCommand } | { ok: false; reason: string };

export function parseExpArguments(args: readonly string[]): ExpParse {
  if (args[0]?.toLowerCase() === "apply") {
    if (args.length !== 2) return { ok: false, reason: "expected `/trainyard exp apply <name>`." };
    const name = args[1] as string;
    const problem = experimentNameProblem(name);
    if (problem) return { ok: false, reason: `that is not an experiment name: ${problem}.` };
    return { ok: true, command: { kind: "exp-apply", name } };
  }
  if (args.length === 0) {
    return {
      ok: false,
      reason: "expected `/trainyard exp key=value[,value…] …` (e.g. `train.n_est=10,25,50`).",
    };
  }
  try {
    const variants = expandGrid(args.map((arg) => parseSweepArg(arg)));
    if (variants.length > MAX_PR_VARIANTS) {
      return {
        ok: false,
        reason: `the sweep has ${variants.length} variants; one comment may run at most ${MAX_PR_VARIANTS} (an Actions matrix limit).`,
      };
    }
    return { ok: true, command: { kind: "exp", sets: [...args], variants } };
  } catch (error) {
    if (error instanceof TrainyardError) return { ok: false, reason: `${error.message}.` };
    throw error;
  }
}
