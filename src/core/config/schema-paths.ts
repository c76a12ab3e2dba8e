/**
 * Path fields of trainyard.yaml, shared by every part of the schema. The patterns go only into the
 * generated JSON Schema (`meta`), so editors flag absolute and escaping paths as people type; at
 * load time the path rule (rules.ts, repoPathProblem) says precisely what is wrong and where.
 */
import { z } from "zod";

const ABSOLUTE = String.raw`[/\\]|[A-Za-z]:`;
/** Inside the repository: not absolute, no `..` segment, not in `.git`. */
export const REPO_PATH_PATTERN = String.raw`^(?!${ABSOLUTE})(?!\.git(?:/|$))(?!(?:.*/)?\.\.(?:/|$)).+$`;
/**
 * A stage path (deps, outs, metrics, plots, params files): relative to `wdir` when the stage has
 * one, so leading `../` segments may be fine; `..` anywhere else never is.
 */
export const STAGE_PATH_PATTERN = String.raw`^(?!${ABSOLUTE})(?:\.\.?(?:/|$))*(?!\.\.(?:/|$))(?!.*/\.\.(?:/|$)).*$`;

/** A dep outside the repository (external-dep.ts): an s3:// or http(s):// URL, or an absolute file. */
const EXTERNAL_DEP_PATTERN = "^(?:(?:s3|https?)://.+|/.+)$";
export const DEP_PATTERN = `${EXTERNAL_DEP_PATTERN}|${STAGE_PATH_PATTERN}`;
const REPO_DEP_PATTERN = `${EXTERNAL_DEP_PATTERN}|${REPO_PATH_PATTERN}`;

export const repoPath = z
  .string()
  .min(1)
  .meta({ pattern: REPO_PATH_PATTERN })
  .describe("a path relative to the repository root");

export const stagePath = z
  .string()
  .min(1)
  .meta({ pattern: STAGE_PATH_PATTERN })
  .describe("a path relative to the repository root (or the stage's wdir)");

/** Stage deps: stage paths, or data outside the repository tracked by its upstream version. */
export const depList = (description: string) =>
  z
    .array(
      z
        .string()
        .min(1)
        .meta({ pattern: DEP_PATTERN })
        .describe("a stage path, an s3:// or http(s):// URL, or an absolute file"),
    )
    .default([])
    .meta({ uniqueItems: true })
    .describe(description);

/** A list of stage paths; listing one twice is an error (uniqueItems in the JSON Schema). */
export const pathList = (description: string) =>
  z.array(stagePath).default([]).meta({ uniqueItems: true }).describe(description);

/**
 * Without `wdir`, a stage's paths are relative to the repository root: no leading `../` either.
 * Written as JSON Schema `if`/`then` on the stage object (zod has no conditional form of it).
 */
export const STAGE_WITHOUT_WDIR_RULE = {
  if: { not: { required: ["wdir"] } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a promise
  then: {
    properties: {
      deps: { items: { pattern: REPO_DEP_PATTERN } },
      metrics: { items: { pattern: REPO_PATH_PATTERN } },
      outs: {
        items: {
          anyOf: [
            { type: "string", pattern: REPO_PATH_PATTERN },
            { type: "object", propertyNames: { pattern: REPO_PATH_PATTERN } },
          ],
        },
      },
    },
  },
};
