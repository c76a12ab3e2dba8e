/**
 * What an experiment commit says about itself, in its message: a subject line for `git log`, then
 * one JSON document (name, base, overrides, status, duration). Metrics, params and the lock are
 * files in the commit's tree, so they are read exactly as a checkout would read them. Pure.
 */
import { z } from "zod";
import type { Overrides, ParamValue } from "./sweep.js";

const paramValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const experimentRecordSchema = z.object({
  name: z.string(),
  base: z.string(),
  overrides: z.array(z.tuple([z.string(), paramValueSchema])),
  status: z.enum(["success", "failed"]),
  durationMs: z.number(),
  error: z.string().optional(),
  createdAt: z.string(),
});

export type ExperimentRecord = z.output<typeof experimentRecordSchema>;
export type ExperimentStatus = ExperimentRecord["status"];

const MARKER = "trainyard-experiment:";

export function experimentCommitMessage(record: ExperimentRecord): string {
  const subject = `exp ${record.name}: ${record.overrides.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ") || "(no changes)"}`;
  return `${subject}\n\n${MARKER} ${JSON.stringify(record)}\n`;
}

/** The record in a commit message, or undefined when the message holds none (or a damaged one). */
export function parseExperimentMessage(message: string): ExperimentRecord | undefined {
  const line = message.split("\n").find((l) => l.startsWith(MARKER));
  if (!line) return undefined;
  try {
    const parsed = experimentRecordSchema.safeParse(JSON.parse(line.slice(MARKER.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function overridesOf(record: ExperimentRecord): Overrides {
  return record.overrides as readonly (readonly [string, ParamValue])[];
}
