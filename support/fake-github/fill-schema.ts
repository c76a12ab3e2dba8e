/**
 * Completes a handler's partial response with every property GitHub's schema requires.
 * Handlers set the fields that carry meaning (ids, shas, bodies, states); the rest of GitHub's
 * large shapes (a `pull-request` needs ~40 fields, a `repository` ~80) get neutral values of the
 * right type. The completed body is still validated afterwards, so a handler that sets a field
 * to the wrong type is caught.
 */
import type { OpenAPIV3 } from "openapi-types";

type Schema = OpenAPIV3.SchemaObject;

const EPOCH = "2026-01-01T00:00:00Z";

export function fillFromSchema(given: Schema | undefined, partial: unknown, depth = 0): unknown {
  if (!given || depth > 12) return partial;
  const schema = normalizeType(given);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && partial === undefined && variants.some((v) => isNull(v as Schema))) return null;
  if (variants) return fillFromSchema(pickVariant(variants as Schema[], partial), partial, depth);
  if (schema.allOf) return fillFromSchema(mergeAll(schema.allOf as Schema[]), partial, depth);

  if (partial === null && schema.nullable) return null;
  if (partial !== undefined && partial !== null) {
    if (Array.isArray(partial) && schema.type === "array") {
      const items = (schema as OpenAPIV3.ArraySchemaObject).items as Schema;
      return partial.map((item) => fillFromSchema(items, item, depth + 1));
    }
    if (isPlainObject(partial) && (schema.type === "object" || schema.properties)) {
      return fillObject(schema, partial, depth);
    }
    return partial;
  }
  return defaultValue(schema, depth);
}

function fillObject(schema: Schema, partial: Record<string, unknown>, depth: number) {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const out: Record<string, unknown> = {};
  for (const key of schema.required ?? []) {
    if (!(key in partial)) out[key] = defaultValue(properties[key], depth + 1);
  }
  for (const [key, value] of Object.entries(partial)) {
    out[key] = properties[key] ? fillFromSchema(properties[key], value, depth + 1) : value;
  }
  return out;
}

function defaultValue(given: Schema | undefined, depth: number): unknown {
  if (!given) return null;
  const schema = normalizeType(given);
  if (schema.nullable) return null;
  if (schema.oneOf || schema.anyOf || schema.allOf) return fillFromSchema(schema, undefined, depth);
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "string":
      if (schema.format === "date-time") return EPOCH;
      if (schema.format === "uri") return "https://fake-github.invalid/";
      if (schema.format === "email") return "fake@fake-github.invalid";
      // e.g. a 40-character sha: zeros are as neutral as a value can get.
      return "0".repeat(schema.minLength ?? 0);
    case "integer":
    case "number":
      return Math.max(0, schema.minimum ?? 0);
    case "boolean":
      return false;
    case "array":
      return [];
    default:
      if (schema.type === "object" || schema.properties) return fillObject(schema, {}, depth);
      return null;
  }
}

/** The variant the partial fits best: same JSON type, most shared keys, no enum conflict. */
function pickVariant(variants: Schema[], partial: unknown): Schema {
  if (partial === null) return variants.find((v) => v.nullable || isNull(v)) ?? variants[0]!;
  if (partial === undefined) return variants.find((v) => !v.nullable && v.type === "object") ?? variants[0]!;
  let best = variants[0]!;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const raw of variants) {
    const variant = normalizeType(raw.allOf ? mergeAll(raw.allOf as Schema[]) : raw);
    const score = fitScore(variant, partial);
    if (score > bestScore) {
      best = variant;
      bestScore = score;
    }
  }
  return best;
}

function fitScore(variant: Schema, partial: unknown): number {
  if (Array.isArray(partial)) return variant.type === "array" ? 1 : -1000;
  if (!isPlainObject(partial)) return typeof partial === variant.type ? 1 : -1000;
  if (variant.type && variant.type !== "object") return -1000;
  const properties = (variant.properties ?? {}) as Record<string, Schema>;
  let score = 0;
  for (const [key, value] of Object.entries(partial)) {
    const prop = properties[key];
    if (!prop) continue;
    if (prop.enum && !prop.enum.includes(value)) return -1000;
    score += 1;
  }
  // Prefer the variant whose required keys the partial already provides.
  return score - (variant.required ?? []).filter((k) => !(k in partial)).length / 1000;
}

function mergeAll(parts: Schema[]): Schema {
  const flat = parts.map((p) => normalizeType(p.allOf ? mergeAll(p.allOf as Schema[]) : p));
  if (!flat.some((p) => p.type === "object" || p.properties)) {
    // All of several scalar constraints: the first one's shape, nullable only if every part allows null.
    return { ...flat[0]!, nullable: flat.every((p) => p.nullable === true) };
  }
  const merged: Schema = { type: "object", properties: {}, required: [] };
  const properties = merged.properties as Record<string, Schema>;
  for (const part of parts) {
    const resolved = part.allOf ? mergeAll(part.allOf as Schema[]) : part;
    for (const [key, schema] of Object.entries((resolved.properties ?? {}) as Record<string, Schema>)) {
      // A property described in several parts must satisfy all of them.
      properties[key] = properties[key] ? { allOf: [properties[key]!, schema] } : schema;
    }
    merged.required!.push(...(resolved.required ?? []));
  }
  return merged;
}

/** OpenAPI 3.1 writes `type: ["string", "null"]`; read it as 3.0's `type` + `nullable`. */
function normalizeType(schema: Schema): Schema {
  const type = schema.type as unknown;
  if (!Array.isArray(type)) return schema;
  const concrete = type.filter((t) => t !== "null");
  return {
    ...schema,
    type: concrete[0] as Schema["type"],
    ...(type.includes("null") ? { nullable: true } : {}),
  } as Schema;
}

function isNull(schema: Schema): boolean {
  const type = schema.type as unknown;
  return type === "null" || (Array.isArray(type) && type.length === 1 && type[0] === "null");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
