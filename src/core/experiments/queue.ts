/**
 * Queued experiments: a variant recorded without running, as a ref
 * `refs/trainyard/exp-queue/<base>/<name>` on a commit of the base's own tree whose message holds
 * the overrides. `exp run --run-all` (here or on a runner after `exp push`) runs and dequeues them.
 * Pure: the message and the ref names.
 */
import { z } from "zod";
import { assertExperimentName, experimentNameProblem } from "./naming.js";
import type { Overrides } from "./sweep.js";

export const EXP_QUEUE_PREFIX = "refs/trainyard/exp-queue/";
const MARKER = "trainyard-experiment-queued:";

const queuedSchema = z.object({
  name: z.string(),
  overrides: z.array(z.tuple([z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])])),
});

export interface QueuedVariant {
  name: string;
  overrides: Overrides;
}

export function queueRef(base: string, name: string): string {
  return `${EXP_QUEUE_PREFIX}${base}/${assertExperimentName(name)}`;
}

export function queuedCommitMessage(variant: QueuedVariant): string {
  return `queued exp ${variant.name}\n\n${MARKER} ${JSON.stringify({ name: variant.name, overrides: variant.overrides })}\n`;
}

/** The variant a queue commit holds; undefined for a damaged message or an unsafe name. */
export function parseQueuedMessage(message: string): QueuedVariant | undefined {
  const line = message.split("\n").find((l) => l.startsWith(MARKER));
  if (!line) return undefined;
  try {
    const parsed = queuedSchema.safeParse(JSON.parse(line.slice(MARKER.length)));
    if (!parsed.success || experimentNameProblem(parsed.data.name)) return undefined;
    return parsed.data;
  } catch {
    return undefined;
  }
}
