/**
 * `vars:` and `${…}` in stage definitions, with DVC's semantics: the params file is the first
 * source of values, inline `vars:` mappings add to it (a key defined twice is an error, as in
 * DVC), and every string inside a stage is resolved; a reference that resolves to nothing is an
 * error at the string's position. Pure: raw document data in, resolved data and problems out.
 */
import type { KeyPath } from "../yaml-document.js";
import { interpolate } from "./template.js";
import type { ConfigProblem } from "./validate.js";

export type VarsContext = Record<string, unknown>;

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The values `${…}` can see outside loops. `vars` entries are inline mappings, or the name of the
 * params file (already read by the caller); other files are reported, not silently skipped.
 */
export function buildVarsContext(
  vars: unknown,
  params: { file: string; value: unknown } | undefined,
): { context: VarsContext; problems: ConfigProblem[] } {
  const context: VarsContext = isMapping(params?.value) ? { ...params.value } : {};
  const problems: ConfigProblem[] = [];
  if (vars === undefined) return { context, problems };
  if (!Array.isArray(vars)) {
    return {
      context,
      problems: [{ path: ["vars"], message: "expected a list of mappings (or the params file name)" }],
    };
  }
  const fromParams = new Set(Object.keys(context));
  vars.forEach((entry, index) => {
    const path: KeyPath = ["vars", index];
    if (typeof entry === "string") {
      if (params && entry === params.file) return;
      problems.push({
        path,
        message: `vars file "${entry}" is not read: list the values inline under vars, or put them in the params file${params ? ` (${params.file})` : ""}`,
      });
      return;
    }
    if (!isMapping(entry)) {
      problems.push({ path, message: "expected a mapping of values or the params file name" });
      return;
    }
    for (const [key, value] of Object.entries(entry)) {
      if (Object.hasOwn(context, key)) {
        const where = fromParams.has(key)
          ? `the params file${params ? ` (${params.file})` : ""}`
          : "an earlier vars entry";
        problems.push({ path: [...path, key], message: `var "${key}" is already defined in ${where}` });
        continue;
      }
      context[key] = value;
    }
  });
  return { context, problems };
}

/**
 * Resolve every `${…}` in the strings of `value` (keys stay as written). Problems are reported
 * at `path` plus the position of the offending string inside `value`.
 */
export function resolveTemplates(
  value: unknown,
  context: VarsContext,
  path: KeyPath,
  problems: ConfigProblem[],
): unknown {
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    const result = interpolate(value, context);
    if (result.ok) return result.value;
    problems.push({ path, message: result.message });
    return value;
  }
  if (Array.isArray(value))
    return value.map((item, i) => resolveTemplates(item, context, [...path, i], problems));
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = resolveTemplates(item, context, [...path, key], problems);
    }
    return out;
  }
  return value;
}
