/**
 * Action inputs arrive as strings in `INPUT_<NAME>` variables. Each action declares its inputs as a
 * zod schema over those strings; this module reads them, parses booleans strictly (the YAML 1.2 core
 * words only, like `@actions/core`'s getBooleanInput) and fails with a migration hint when a workflow
 * still passes an input that was renamed or removed.
 */
import { z } from "zod";
import { TrainyardError } from "../errors.js";

/** Environment variables as Node gives them. */
export type Env = Readonly<Record<string, string | undefined>>;

const TRUE_WORDS = ["true", "True", "TRUE"];
const FALSE_WORDS = ["false", "False", "FALSE"];

/** A boolean input: only the YAML 1.2 core words; "yes", "1" or a typo is an error, never `false`. */
export const booleanInput = z.string().transform((raw, ctx) => {
  if (TRUE_WORDS.includes(raw)) return true;
  if (FALSE_WORDS.includes(raw)) return false;
  ctx.addIssue({
    code: "custom",
    message: `expected one of true | True | TRUE | false | False | FALSE, got "${raw}"`,
  });
  return z.NEVER;
});

/** A positive whole number written in decimal, e.g. the `jobs` input. */
export const positiveIntegerInput = z
  .string()
  .regex(/^[1-9][0-9]*$/, "expected a positive whole number such as 1 or 4")
  .transform(Number);

/** A list written one per line or separated by commas; blanks are dropped. */
export const listInput = z.string().transform((raw) =>
  raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** Where an old input name went: the new name, or `undefined` when the input was removed. */
export interface RenamedInput {
  readonly replacement?: string;
  readonly hint: string;
}

/** The variable GitHub sets for an input: spaces become underscores, letters go upper case. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** Reads a raw input: trimmed, "" when unset (GitHub sets declared inputs to their default). */
export function readRawInput(env: Env, name: string): string {
  return (env[inputVariable(name)] ?? "").trim();
}

/**
 * Reads and validates the inputs named by `names` with `schema`. `names` maps each key of the
 * parsed input object to its action input name, so a key missing from it is a compile error.
 */
export function parseActionInputs<S extends z.ZodObject>(
  schema: S,
  names: Readonly<Record<keyof z.output<S>, string>>,
  env: Env,
  renamed: Readonly<Record<string, RenamedInput>> = {},
): z.output<S> {
  for (const [oldName, moved] of Object.entries(renamed)) {
    if (readRawInput(env, oldName) === "") continue;
    const where = moved.replacement ? `use "${moved.replacement}" instead` : "remove it";
    throw new TrainyardError("usage", `input "${oldName}" is no longer supported; ${where}. ${moved.hint}`);
  }
  const raw: Record<string, string> = {};
  for (const [key, name] of Object.entries(names) as [string, string][]) raw[key] = readRawInput(env, name);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    const name = (names as Record<string, string>)[key] ?? key;
    return `input "${name}": ${issue.message}`;
  });
  throw new TrainyardError("usage", problems.join("; "));
}

/** Applies the action.yml default when an input is empty (tests and local runs set only some). */
export function withDefault<T extends z.ZodType<unknown, string>>(fallback: string, schema: T) {
  return z
    .string()
    .transform((raw) => (raw === "" ? fallback : raw))
    .pipe(schema);
}

/** The action.yml default of every `token` input: the workflow's own token. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template.
export const WORKFLOW_TOKEN_DEFAULT = "${{ github.token }}";
