/**
 * Metric and params files nest freely (`{test: {accuracy: 0.9}}`); diffs and gates work on flat
 * dotted keys (`test.accuracy`). Pure.
 */

/** A leaf value in a metrics or params file. Numbers are what diffs and gates care about. */
export type FlatValue = number | string | boolean | null;
export type FlatRecord = Record<string, FlatValue>;

/**
 * Flatten nested objects and arrays into dotted keys. Arrays use their index (`per_class.0`),
 * the same convention DVC uses, so keys stay stable and readable.
 */
export function flattenRecord(value: unknown, prefix = ""): FlatRecord {
  const out: FlatRecord = {};
  visit(value, prefix, out);
  return out;
}

function visit(value: unknown, key: string, out: FlatRecord): void {
  if (Array.isArray(value)) {
    if (value.length === 0 && key) visit(null, key, out);
    value.forEach((item, i) => {
      visit(item, key ? `${key}.${i}` : String(i), out);
    });
    return;
  }
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && key) visit(null, key, out);
    for (const [k, v] of entries) visit(v, key ? `${key}.${k}` : k, out);
    return;
  }
  if (!key) return; // a bare scalar document has no key to file it under
  // defineProperty, so a key named "__proto__" in a user's file stays an ordinary key.
  Object.defineProperty(out, key, {
    value: toFlatValue(value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function toFlatValue(value: unknown): FlatValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** A numeric view of a flat value: numbers pass, numeric strings convert, anything else is undefined. */
export function asNumber(value: FlatValue | undefined): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    if (!Number.isNaN(n) || value.trim().toLowerCase() === "nan") return n;
  }
  return undefined;
}
