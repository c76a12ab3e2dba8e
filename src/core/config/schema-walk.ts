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

/** The schema node at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: KeyPath): z.ZodType | undefined {
  let node: z.ZodType | undefined = root;
  for (const part of path) {
    if (node === undefined) return undefined;
    const s = unwrap(node);
    if (s instanceof z.ZodObject) node = (s.shape as Record<string, z.ZodType>)[String(part)];
    else if (s instanceof z.ZodRecord) node = s.valueType as z.ZodType;
    else if (s instanceof z.ZodArray) node = s.element as z.ZodType;
    else return undefined;
  }
  return node;
}

/** Keys a strict object at `path` accepts (empty when it is not an object). */
export function allowedKeysAt(root: z.ZodType, path: KeyPath): string[] {
  const node = schemaAt(root, path);
  if (node === undefined) return [];
  const s = unwrap(node);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** The human description attached with `.describe()`, if any. */
export function describeAt(root: z.ZodType, path: KeyPath): string | undefined {
  const node = schemaAt(root, path);
  return node?.description ?? (node ? unwrap(node).description : undefined);
}
