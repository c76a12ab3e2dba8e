/** A plain object (not null, not an array): what a parsed YAML or JSON mapping is. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
