/**
 * Validate a parsed `trainyard.yaml`. Returns errors as data — every problem at once, each with
 * file:line:column, key path and what was expected — instead of throwing on the first one.
 */
import type { z } from "zod";
import { type ErrorCode, TrainyardError } from "../errors.js";
import { formatKeyPath, type KeyPath, type PositionedYaml } from "../yaml-document.js";
import { didYouMean } from "./did-you-mean.js";
import { dvcKeyHint } from "./dvc-key-hints.js";
import { expandStages } from "./expand-foreach.js";
import { buildVarsContext } from "./expand-templates.js";
import { resolveStagePaths } from "./resolve-stage-paths.js";
import { parentSegmentProblems, type RuleContext, runConfigRules } from "./rules.js";
import { type Config, configSchema } from "./schema.js";
import { allowedKeysAt, describeAt } from "./schema-walk.js";

/** One problem in a document, before it is given a position. */
export interface ConfigProblem {
  path: KeyPath;
  message: string;
}

export interface Validation<T> {
  value: T | undefined;
  errors: TrainyardError[];
  /** Positions for key paths of the validated (expanded) config, e.g. `stages.train@us.deps[0]`. */
  locate: PositionedYaml["locate"];
}

export function valueAt(root: unknown, path: KeyPath): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

const EXPECTED: Record<string, string> = { object: "a mapping", array: "a list", string: "a string" };
const CREDENTIAL_KEY = /secret|access_?key|password|token|credential/i;

function problemsFromIssue(schema: z.ZodType, raw: unknown, issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path as KeyPath;
  const value = valueAt(raw, path);
  const described = describeAt(schema, path);
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? `a ${issue.expected}`;
      if (value === undefined && path.length > 0) {
        const key = String(path[path.length - 1]);
        return [
          {
            path,
            message: `missing required key "${key}": expected ${expected}${described ? ` (${described})` : ""}`,
          },
        ];
      }
      return [{ path, message: `expected ${expected}, got ${kindOf(value)}` }];
    }
    case "unrecognized_keys": {
      const allowed = allowedKeysAt(schema, path);
      return issue.keys.map((key) => {
        const moved = dvcKeyHint(path, key);
        if (moved) return { path: [...path, key], message: `unknown key "${key}": ${moved}` };
        const hint = CREDENTIAL_KEY.test(key)
          ? "; credentials never go in trainyard.yaml, they come from the standard AWS chain (env, profile, instance role)"
          : didYouMean(key, allowed);
        return {
          path: [...path, key],
          message: `unknown key "${key}"${hint} (allowed: ${allowed.join(", ")})`,
        };
      });
    }
    case "invalid_key": {
      const inner = issue.issues[0]?.message ?? "a valid name";
      return [{ path, message: `invalid name "${String(path[path.length - 1])}": expected ${inner}` }];
    }
    case "invalid_value": {
      const options = issue.values.map(String);
      const hint = typeof value === "string" ? didYouMean(value, options) : "";
      return [{ path, message: `expected one of ${options.join(", ")}, got ${kindOf(value)}${hint}` }];
    }
    case "invalid_format": {
      const expected = issue.format === "regex" ? issue.message : `a valid ${issue.format}`;
      return [{ path, message: `expected ${expected}, got ${kindOf(value)}` }];
    }
    case "too_small": {
      if (issue.origin === "string") return [{ path, message: "must not be empty" }];
      if (issue.origin === "array") return [{ path, message: `must list at least ${issue.minimum} item(s)` }];
      return [
        { path, message: `must be ${issue.inclusive ? ">=" : ">"} ${issue.minimum}, got ${kindOf(value)}` },
      ];
    }
    case "too_big":
      return [
        { path, message: `must be ${issue.inclusive ? "<=" : "<"} ${issue.maximum}, got ${kindOf(value)}` },
      ];
    default:
      return [{ path, message: issue.message }];
  }
}

/** Check `input` against any zod schema, turning its issues into readable problems. */
export function checkWithSchema<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { value: z.output<S> | undefined; problems: ConfigProblem[] } {
  const result = schema.safeParse(input);
  if (result.success) return { value: result.data, problems: [] };
  return {
    value: undefined,
    problems: result.error.issues.flatMap((i) => problemsFromIssue(schema, input, i)),
  };
}

export function checkSchema(raw: unknown): { value: Config | undefined; problems: ConfigProblem[] } {
  // An empty file is an empty config, not an error: `trainyard init` may write one.
  return checkWithSchema(configSchema, raw === null || raw === undefined ? {} : raw);
}

export function toErrors(
  doc: Pick<PositionedYaml, "locate">,
  problems: readonly ConfigProblem[],
  code: ErrorCode = "config",
): TrainyardError[] {
  return problems.map((p) => new TrainyardError(code, p.message, doc.locate(p.path)));
}

/**
 * One error per place and message: a mistake in a `do:` block is reported once (named by the
 * first stage generated from it), not once per item.
 */
function locatedErrors(
  locate: PositionedYaml["locate"],
  problems: readonly ConfigProblem[],
): TrainyardError[] {
  const seen = new Set<string>();
  const kept = problems.filter((p) => {
    const at = locate(p.path);
    const id = `${at.file}:${at.line ?? ""}:${at.column ?? ""}\0${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return toErrors({ locate }, kept);
}

/**
 * Resolve `vars`/`${…}` and expand `foreach`/`matrix` (the one place this happens), returning
 * the expanded document and a `locate` that maps generated stages back to their definition.
 */
export function expandDocument(
  doc: PositionedYaml,
  context: RuleContext,
): { value: unknown; problems: ConfigProblem[]; locate: PositionedYaml["locate"] } {
  const raw = doc.value;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || !("stages" in raw)) {
    return { value: raw, problems: [], locate: doc.locate };
  }
  const record = raw as Record<string, unknown>;
  const vars = buildVarsContext(record.vars, context.params);
  const expanded = expandStages(record.stages, vars.context);
  const locate: PositionedYaml["locate"] = (path) => {
    const origin =
      path[0] === "stages" && typeof path[1] === "string" ? expanded.origins.get(path[1]) : undefined;
    if (!origin) return doc.locate(path);
    return { ...doc.locate([...origin, ...path.slice(2)]), key: formatKeyPath(path) };
  };
  return {
    value: { ...record, stages: expanded.stages },
    problems: [...vars.problems, ...expanded.problems],
    locate,
  };
}

/** Templates and loops, then the schema, then the semantic rules (only on a schema-valid config). */
export function validateConfig(doc: PositionedYaml, context: RuleContext = {}): Validation<Config> {
  const { locate, ...expanded } = expandDocument(doc, context);
  if (expanded.problems.length) {
    return { value: undefined, errors: locatedErrors(locate, expanded.problems), locate };
  }
  const { value: written, problems } = checkSchema(expanded.value);
  if (!written) return { value: undefined, errors: locatedErrors(locate, problems), locate };
  const parentProblems = parentSegmentProblems(written);
  if (parentProblems.length)
    return { value: undefined, errors: locatedErrors(locate, parentProblems), locate };
  const value = resolveStagePaths(written);
  const ruleProblems = runConfigRules(value, context);
  return {
    value: ruleProblems.length ? undefined : value,
    errors: locatedErrors(locate, ruleProblems),
    locate,
  };
}
