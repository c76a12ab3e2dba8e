/**
 * The `trainyard.yaml` reference, rendered from the same JSON Schema that is committed as
 * schema/trainyard.schema.json (itself generated from the zod schema in src/core/config), so a
 * key, type, default or description added there shows up here without touching the docs.
 */
import { cell, prose } from "./markdown.js";
import { DVC_LAYOUTS_NOTE } from "./dvc-layouts-note.js";

/** The subset of JSON Schema (draft 2020-12) that `z.toJSONSchema` emits for our config. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  format?: string;
}

export interface ConfigKey {
  /** Dotted path with `<name>` placeholders for map keys, e.g. `models.<name>.gates.<metric>.min`. */
  path: string;
  type: string;
  required: boolean;
  default: string;
  description: string;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/\$defs\//, "");
  const target = root.$defs?.[name];
  if (!target) throw new Error(`config reference: cannot resolve ${schema.$ref}`);
  return resolve(target, root);
}

const isRecord = (s: JsonSchema) => typeof s.additionalProperties === "object" && !s.properties;
const isObject = (s: JsonSchema) => s.type === "object" && s.properties !== undefined;

/** Placeholder for a map's keys, named after what the map holds. */
function placeholder(path: string): string {
  const last = path.split(".").at(-1) ?? "";
  if (last === "gates") return "<metric>";
  if (last === "permissions") return "<stage>";
  return "<name>";
}

function describeType(schema: JsonSchema, root: JsonSchema, keyName = "<name>"): string {
  const s = resolve(schema, root);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map((v) => describeType(v, root)).join(" or ");
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" / ");
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.type === "array") return `list of ${s.items ? plural(describeType(s.items, root)) : "values"}`;
  if (isRecord(s))
    return `map of \`${keyName}\` → ${describeType(s.additionalProperties as JsonSchema, root)}`;
  if (s.type === "string" && s.format === "uri") return "URL";
  const type = Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
  return type === "object" ? "object" : type;
}

function plural(type: string): string {
  return /^(string|number|integer|boolean|object|URL)$/.test(type) ? `${type}s` : type;
}

function constraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  // zod bounds every integer by the safe-integer range; that is not a rule worth printing.
  const bounded = (n: number | undefined) => n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  if (bounded(schema.minimum)) out.push(`≥ ${schema.minimum}`);
  if (bounded(schema.exclusiveMinimum)) out.push(`> ${schema.exclusiveMinimum}`);
  if (bounded(schema.maximum)) out.push(`≤ ${schema.maximum}`);
  if (schema.minItems !== undefined && schema.minItems > 0) out.push(`at least ${schema.minItems} item(s)`);
  if (schema.pattern) out.push(`matches \`${schema.pattern}\``);
  if (schema.items?.pattern) out.push(`each matches \`${schema.items.pattern}\``);
  return out;
}

function formatDefault(value: unknown): string {
  if (value === undefined) return "";
  const json = JSON.stringify(value);
  return `\`${json}\``;
}

export interface ConfigSection {
  path: string;
  description: string;
  keys: ConfigKey[];
}

/** Every key of the config, section by section (one per object or map of objects), depth first. */
export function collectConfigKeys(root: JsonSchema): ConfigSection[] {
  const out: ConfigSection[] = [];
  const visit = (path: string, schema: JsonSchema) => {
    const section: ConfigSection = { path, description: schema.description ?? "", keys: [] };
    out.push(section);
    const nested: [string, JsonSchema][] = [];
    const required = new Set(schema.required ?? []);
    for (const [key, raw] of Object.entries(schema.properties ?? {})) {
      const s = resolve(raw, root);
      const keyPath = path ? `${path}.${key}` : key;
      const notes = constraints(s);
      const description = [s.description ?? "", notes.length ? `(${notes.join("; ")})` : ""]
        .filter(Boolean)
        .join(" ");
      section.keys.push({
        path: keyPath,
        type: describeType(s, root, placeholder(keyPath)),
        required: required.has(key),
        default: formatDefault(s.default),
        description,
      });
      if (isObject(s)) nested.push([keyPath, s]);
      else if (isRecord(s)) {
        const value = resolve(s.additionalProperties as JsonSchema, root);
        // A map of alternatives (a stage, or a foreach stage) documents each alternative.
        for (const variant of (value.anyOf ?? value.oneOf ?? [value]).map((v) => resolve(v, root))) {
          if (isObject(variant)) nested.push([`${keyPath}.${placeholder(keyPath)}`, variant]);
        }
      } else if (s.type === "array" && s.items) {
        // A list entry that may be a one-key map to an object (plot entries: `- path: {props}`).
        const item = resolve(s.items, root);
        for (const variant of (item.anyOf ?? item.oneOf ?? [item]).map((v) => resolve(v, root))) {
          if (!isRecord(variant)) continue;
          const value = resolve(variant.additionalProperties as JsonSchema, root);
          if (isObject(value)) nested.push([`${keyPath}[].<path>`, value]);
        }
      }
    }
    for (const [p, s] of nested) visit(p, s);
  };
  visit("", root);
  return out;
}

/** How stage definitions are expanded (src/core/config/expand-*.ts), with DVC's differences. */
const TEMPLATES_NOTE = [
  "## Templates, `foreach` and `matrix`",
  "",
  "As in DVC's `dvc.yaml`: strings inside `stages` may use `${name}`, `${a.b}`, `${list[0]}` (or `${list.0}`),",
  "resolved from the params file and the inline mappings under `vars` (a key defined twice is an error).",
  "A string that is exactly one `${…}` keeps the value's type (`foreach: ${datasets}`); inside longer text only",
  "strings, numbers and booleans fit. `\\${` is a literal `${`. An unresolved reference is an error at its",
  "file:line:column. Quote templates in flow lists (`deps: ['${script}']`): `{` starts a YAML mapping there.",
  "",
  "`foreach` + `do` repeats a stage: over a list of scalars the generated stages are named `<stage>@<item>`,",
  "over a list of mappings `<stage>@<index>`, over a mapping `<stage>@<key>` (with `${key}`); `${item}` is the",
  "element. `matrix` runs a stage once per combination, named `<stage>@<v1>-<v2>…` in the matrix's key order,",
  "a non-scalar value standing as `<key><index>` (DVC's naming); `${item.<key>}` is each value. Generated",
  "stages are ordinary stages everywhere: `run`, `plan --json` (so an Actions matrix fans them out), the lock.",
  "",
  "Differences from DVC: `vars` reads the params file and inline mappings only (another file name is an",
  "error, not silently skipped); a generated name may hold only letters, digits and `_ . , + = -` (iterate",
  "over a mapping to name stages yourself); a mapping or list inside longer text is an error (DVC turns a",
  "mapping in `cmd` into `--key value` arguments); templates are resolved in `stages` only.",
  "",
];

export function renderConfigReference(root: JsonSchema, schemaPath: string): string {
  const lines = [
    "# `trainyard.yaml` reference",
    "",
    `<!-- Generated by \`npm run generate\` (scripts/generate-docs.ts) from ${schemaPath}, itself generated from src/core/config/schema.ts. Do not edit by hand. -->`,
    "",
    "Every object is strict: an unknown key is an error with a “did you mean” hint, and every error names",
    "the file, line, column and key path. `<name>` stands for a name you choose (letters, digits, `_`, `-`);",
    "model and registry stage names become git tags, so they take lowercase letters, digits and `-` only.",
    "Editors validate as you type when the file starts with",
    `\`# yaml-language-server: $schema=node_modules/trainyard/${schemaPath}\``,
    "(the path of the schema where Trainyard is installed, or its URL).",
    "A complete example: [`examples/iris/trainyard.yaml`](../examples/iris/trainyard.yaml).",
    "",
    ...TEMPLATES_NOTE,
    ...DVC_LAYOUTS_NOTE,
  ];
  for (const section of collectConfigKeys(root)) {
    lines.push(`## ${section.path === "" ? "Top level" : `\`${section.path}\``}`, "");
    if (section.description) lines.push(prose(section.description), "");
    lines.push("| Key | Type | Required | Default | Description |", "| --- | --- | --- | --- | --- |");
    for (const key of section.keys) {
      const name = key.path.slice(section.path ? section.path.length + 1 : 0);
      lines.push(
        `| \`${cell(name)}\` | ${cell(key.type)} | ${key.required ? "yes" : "no"} | ${cell(key.default)} | ${cell(prose(key.description))} |`,
      );
    }
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
