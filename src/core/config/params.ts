/** Params referenced by dotted keys (`train.n_estimators`, or a whole section `train`). */

/** The value at a dotted key, or undefined when any segment is missing. */
export function lookupParam(params: unknown, key: string): unknown {
  let node = params;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    if (!Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Every dotted key in a params document (sections and leaves), for "did you mean" hints. */
export function paramKeys(params: unknown, prefix = ""): string[] {
  if (params === null || typeof params !== "object" || Array.isArray(params)) return [];
  return Object.entries(params).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return [key, ...paramKeys(v, key)];
  });
}

/** The values of the given keys, keyed by the dotted key (for fingerprints and the lock). */
export function selectParams(params: unknown, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...keys].sort()) out[key] = lookupParam(params, key);
  return out;
}
