/**
 * DVC's two entry forms for a stage's `outs` and `params`: a bare string, or a one-key mapping
 * (`{model.pkl: {cache: false, persist: true}}`, `{other.yaml: [lr, depth]}`). The schemas and the
 * helpers that read either form live together so every caller reads them the same way.
 */
import { z } from "zod";
import { stagePath } from "./schema-paths.js";

const oneKey = (entry: object) => Object.keys(entry).length === 1;

export const outOptionsSchema = z
  .strictObject({
    cache: z
      .boolean()
      .default(true)
      .describe("false: not put in the store; hashed into trainyard.lock and committed to git instead."),
    persist: z
      .boolean()
      .default(false)
      .describe("true: not deleted before the stage runs, so the command may update it in place."),
  })
  .describe("DVC's out options.");

export const outEntrySchema = z
  .union([
    stagePath,
    z
      .record(stagePath, outOptionsSchema)
      .refine(oneKey, "an out entry maps exactly one path to its options")
      .describe("`{path: {cache, persist}}`"),
  ])
  .describe("An out path, or `{path: {cache: false, persist: true}}`.");

export const paramsEntrySchema = z
  .union([
    z.string().min(1).describe("A dotted key of the project params file (a key may name a whole section)."),
    z
      .record(stagePath, z.array(z.string().min(1)))
      .refine(oneKey, "a params entry maps exactly one file to its keys")
      .describe("`{file: [keys]}`: keys of another params file; an empty list means the whole file."),
  ])
  .describe("A dotted key, or `{other.yaml: [keys]}`.");

export type OutEntry = z.output<typeof outEntrySchema>;
export type OutOptions = z.output<typeof outOptionsSchema>;
export type ParamsEntry = z.output<typeof paramsEntrySchema>;

const DEFAULT_OUT_OPTIONS: OutOptions = { cache: true, persist: false };

export function outEntryPath(entry: OutEntry): string {
  return typeof entry === "string" ? entry : (Object.keys(entry)[0] ?? "");
}

export function outEntryOptions(entry: OutEntry): OutOptions {
  return typeof entry === "string" ? DEFAULT_OUT_OPTIONS : (Object.values(entry)[0] ?? DEFAULT_OUT_OPTIONS);
}

/** Keys a stage reads, grouped by params file; `undefined` file means the project params file. */
export interface ParamsRead {
  file: string | undefined;
  keys: string[];
}

export function paramsReads(entries: readonly ParamsEntry[]): ParamsRead[] {
  const defaults = entries.filter((e): e is string => typeof e === "string");
  const named = entries.flatMap((e) =>
    typeof e === "string" ? [] : Object.entries(e).map(([file, keys]) => ({ file, keys })),
  );
  return [...(defaults.length ? [{ file: undefined, keys: defaults }] : []), ...named];
}
