/**
 * DVC-style `${…}` templates: `${name}`, `${a.b}`, `${list[0]}` / `${list.0}`, `${map[key]}`.
 * `\${` is a literal `${`. Pure: text in, parts or a positioned error out.
 */

export type RefSegment = string | number;

export type TemplatePart =
  | { kind: "text"; text: string }
  | { kind: "ref"; expr: string; segments: RefSegment[]; offset: number };

export type ParsedTemplate =
  | { ok: true; parts: TemplatePart[] }
  | { ok: false; message: string; offset: number };

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*/;

/** Split `a.b[0].c` into segments; undefined when it is not a reference DVC would accept. */
export function parseReference(expr: string): RefSegment[] | undefined {
  const segments: RefSegment[] = [];
  let rest = expr;
  const head = IDENT.exec(rest);
  if (!head) return undefined;
  segments.push(head[0]);
  rest = rest.slice(head[0].length);
  while (rest.length > 0) {
    const dotted = /^\.([A-Za-z0-9_-]+)/.exec(rest);
    const bracketed = /^\[\s*([A-Za-z0-9_-]+)\s*\]/.exec(rest);
    const match = dotted ?? bracketed;
    if (!match?.[1]) return undefined;
    segments.push(/^\d+$/.test(match[1]) ? Number(match[1]) : match[1]);
    rest = rest.slice(match[0].length);
  }
  return segments;
}

/** Parse a string into literal text and references. Never throws. */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("\\${", i)) {
      literal += "${";
      i += 3;
      continue;
    }
    if (!text.startsWith("${", i)) {
      literal += text[i];
      i += 1;
      continue;
    }
    const close = text.indexOf("}", i + 2);
    if (close < 0) return { ok: false, message: `unclosed "\${" (expected "}")`, offset: i };
    const expr = text.slice(i + 2, close).trim();
    const segments = parseReference(expr);
    if (!segments) {
      return {
        ok: false,
        message: `"\${${text.slice(i + 2, close)}}" is not a reference (expected \${name}, \${a.b} or \${list[0]})`,
        offset: i,
      };
    }
    if (literal) parts.push({ kind: "text", text: literal });
    literal = "";
    parts.push({ kind: "ref", expr, segments, offset: i });
    i = close + 1;
  }
  if (literal || parts.length === 0) parts.push({ kind: "text", text: literal });
  return { ok: true, parts };
}

/** Escape text so that parseTemplate reads it back as one literal. */
export function escapeTemplate(text: string): string {
  return text.replaceAll("${", "\\${");
}

/** Does the string contain anything the template engine would act on? */
export function hasTemplate(text: string): boolean {
  return text.includes("${");
}

/** Look a reference up in a context of plain data; `found: false` when any segment is missing. */
export function lookupReference(
  context: unknown,
  segments: readonly RefSegment[],
): { found: true; value: unknown } | { found: false; missing: string } {
  let node = context;
  let walked = "";
  for (const segment of segments) {
    const label = typeof segment === "number" ? `[${segment}]` : walked ? `.${segment}` : segment;
    if (Array.isArray(node) && typeof segment === "number" && segment < node.length) {
      node = node[segment];
    } else if (
      node !== null &&
      typeof node === "object" &&
      !Array.isArray(node) &&
      Object.hasOwn(node, String(segment))
    ) {
      node = (node as Record<string, unknown>)[String(segment)];
    } else {
      return { found: false, missing: walked + label };
    }
    walked += label;
  }
  return { found: true, value: node };
}

export type Interpolated = { ok: true; value: unknown } | { ok: false; message: string; offset: number };

/**
 * Resolve a string against a context. A string that is exactly one `${…}` keeps the value's type
 * (a list for `foreach: ${datasets}`, a number for a param); inside longer text only scalars fit.
 */
export function interpolate(text: string, context: unknown): Interpolated {
  const parsed = parseTemplate(text);
  if (!parsed.ok) return parsed;
  const resolved: unknown[] = [];
  for (const part of parsed.parts) {
    if (part.kind === "text") {
      resolved.push(part.text);
      continue;
    }
    const found = lookupReference(context, part.segments);
    if (!found.found) {
      const where = found.missing === part.expr ? "" : ` (no "${found.missing}")`;
      return {
        ok: false,
        message: `"\${${part.expr}}" is not defined in vars, params or the loop item${where}`,
        offset: part.offset,
      };
    }
    resolved.push(found.value);
  }
  const only = parsed.parts[0];
  if (parsed.parts.length === 1 && only?.kind === "ref") return { ok: true, value: resolved[0] };
  let out = "";
  for (const [index, value] of resolved.entries()) {
    const part = parsed.parts[index];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      out += String(value);
    } else {
      return {
        ok: false,
        message: `"\${${part?.kind === "ref" ? part.expr : ""}}" is ${value === null ? "null" : Array.isArray(value) ? "a list" : "a mapping"}; only a string, number or boolean can be put inside text`,
        offset: part?.kind === "ref" ? part.offset : 0,
      };
    }
  }
  return { ok: true, value: out };
}
