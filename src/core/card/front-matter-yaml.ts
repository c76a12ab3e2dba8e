/**
 * Front matter text that YAML 1.1 and YAML 1.2 readers read alike. The Hub's Python side
 * (huggingface_hub) reads cards with PyYAML, a YAML 1.1 parser: there `5e-7` is a string (1.1
 * floats need a dot and a signed exponent) and `on`, `n` or `2001-12-14` are not strings. So
 * numbers are written in the form both grammars read as floats (`5.0e-07`), and any string whose
 * plain form either grammar would read as something else is double-quoted. Pure.
 */
import { Document, parse, visit, type ScalarTag } from "yaml";

/** `5e-7` → `5.0e-07`, `1e+21` → `1.0e+21`; other numbers as JavaScript prints them. */
export function formatYamlNumber(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  const text = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-])(\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, whole, fraction, expSign, exp] = m;
  // Two exponent digits at least, as Python's repr writes them.
  return `${sign}${whole}.${fraction ?? "0"}e${expSign}${(exp as string).padStart(2, "0")}`;
}

const numberTag: ScalarTag = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  // Only used to write: parsing goes through the standard tags.
  test: /^(?!)$/,
  resolve: (text) => Number(text),
  stringify: ({ value }) => formatYamlNumber(value as number),
};

function readsAsItself(text: string): boolean {
  for (const version of ["1.1", "1.2"] as const) {
    try {
      if (parse(text, { version }) !== text) return false;
    } catch {
      return false; // not a valid plain scalar in this grammar: quote it
    }
  }
  return true;
}

export function stringifyFrontMatter(value: unknown): string {
  const doc = new Document(value, { version: "1.1", customTags: (tags) => [numberTag, ...tags] });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && !node.type?.startsWith("QUOTE") && !readsAsItself(node.value)) {
        node.type = "QUOTE_DOUBLE";
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}
