/**
 * Action inputs arrive as strings in `INPUT_<NAME>` variables. Each action declares its inputs as a
 * zod schema; this module reads them through an `InputReader` (in the actions, `@actions/core`'s
 * getInput and getBooleanInput), validates them and fails with a migration hint when a workflow
 * still passes an input that was renamed or removed.
 */
import { z } from "zod";
import { TrainyardError } from "../errors.js";

/** Environment variables as Node gives them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Reads one input by its action.yml name: trimmed text ("" when unset), or a strict boolean. */
export interface InputReader {
  text(name: string): string;
  /** Throws unless the value is one of the YAML 1.2 core words (true | True | TRUE | false | …). */
  boolean(name: string): boolean;
}

const BOOLEAN_WORDS = "true | True | TRUE | false | False | FALSE";

/** A boolean input, read with the reader's strict parser; `fallback` (the action.yml default) when empty. */
export const booleanInput = (fallback: "true" | "false") => z.boolean().default(fallback === "true");

function isBooleanInput(field: unknown): boolean {
  return field instanceof z.ZodDefault && field.def.innerType instanceof z.ZodBoolean;
}

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

/**
 * Reads and validates the inputs named by `names` with `schema`. `names` maps each key of the
 * parsed input object to its action input name, so a key missing from it is a compile error.
 */
export function parseActionInputs<S extends z.ZodObject>(
  schema: S,
  names: Readonly<Record<keyof z.output<S>, string>>,
  read: InputReader,
  renamed: Readonly<Record<string, RenamedInput>> = {},
): z.output<S> {
  for (const [oldName, moved] of Object.entries(renamed)) {
    if (read.text(oldName) === "") continue;
    const where = moved.replacement ? `use "${moved.replacement}" instead` : "remove it";
    throw new TrainyardError("usage", `input "${oldName}" is no longer supported; ${where}. ${moved.hint}`);
  }
  const raw: Record<string, string | boolean | undefined> = {};
  const problems: string[] = [];
  for (const [key, name] of Object.entries(names) as [string, string][]) {
    const text = read.text(name);
    if (!isBooleanInput(schema.shape[key])) raw[key] = text;
    else if (text === "") raw[key] = undefined;
    else {
      try {
        raw[key] = read.boolean(name);
      } catch {
        problems.push(`input "${name}": expected one of ${BOOLEAN_WORDS}, got "${text}"`);
      }
    }
  }
  if (problems.length > 0) throw new TrainyardError("usage", problems.join("; "));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    const name = (names as Record<string, string>)[key] ?? key;
    return `input "${name}": ${issue.message}`;
  });
  throw new TrainyardError("usage", issues.join("; "));
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
