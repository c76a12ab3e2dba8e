/**
 * Walk the zod schema along a key path, to learn which keys an object allows (for "did you
 * mean" hints) and what a value at a path is described as (for "expected …" messages).
 */
import { z } from "zod";
import type { KeyPath } from "../yaml-document.js";

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

/** The object forms of a node: itself, or each object option of a union (a stage as written may be a foreach). */
function objectForms(schema: z.ZodType): z.ZodObject[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return [s];
  if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).flatMap(objectForms);
  return [];
}

/** The schema node at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: KeyPath): z.ZodType | undefined {
  let node: z.ZodType | undefined = root;
  for (const part of path) {
    if (node === undefined) return undefined;
    const s = unwrap(node);
    if (s instanceof z.ZodObject || s instanceof z.ZodUnion) {
      const forms = objectForms(s).map((o) => (o.shape as Record<string, z.ZodType>)[String(part)]);
      node = forms.find((f) => f !== undefined);
    } else if (s instanceof z.ZodRecord) node = s.valueType as z.ZodType;
    else if (s instanceof z.ZodArray) node = s.element as z.ZodType;
    else return undefined;
  }
  return node;
}

/** Keys a strict object at `path` accepts (empty when it is not an object). */
export function allowedKeysAt(root: z.ZodType, path: KeyPath): string[] {
  const node = schemaAt(root, path);
  if (node === undefined) return [];
  return [...new Set(objectForms(node).flatMap((o) => Object.keys(o.shape)))];
}

/** The human description attached with `.describe()`, if any. */
export function describeAt(root: z.ZodType, path: KeyPath): string | undefined {
  const node = schemaAt(root, path);
  return node?.description ?? (node ? unwrap(node).description : undefined);
}
