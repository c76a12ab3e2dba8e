/**
 * The per-segment records hash-tree.ts keeps in the stat cache so a change confined to a few
 * top-level folders can be spliced into the recorded manifest instead of rebuilding it.
 */

/** What the stat cache remembers of one segment (a top-level folder or a chunk of top-level files). */
export interface SegmentRecord {
  id: string;
  sig: string;
  count: number;
  maxMtimeNs: bigint;
  /** Byte range of the segment's entries in the manifest text; -1 for top-level files. */
  start: number;
  end: number;
}

/** Stored as compact tuples (the cache holds one per top-level folder of every tracked tree). */
type StoredSegment = [string, string, number, string, number, number];

export function encodeSegments(records: readonly SegmentRecord[]): string {
  return JSON.stringify(
    records.map((r): StoredSegment => [r.id, r.sig, r.count, String(r.maxMtimeNs), r.start, r.end]),
  );
}

/** The records, or undefined when the stored text is not what encodeSegments writes (then: rebuild). */
export function decodeSegments(text: string): SegmentRecord[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const records: SegmentRecord[] = [];
  for (const item of parsed as unknown[]) {
    if (!Array.isArray(item) || item.length !== 6) return undefined;
    const [id, sig, count, maxMtimeNs, start, end] = item as unknown[];
    if (typeof id !== "string" || typeof sig !== "string" || typeof maxMtimeNs !== "string") return undefined;
    if (typeof count !== "number" || typeof start !== "number" || typeof end !== "number") return undefined;
    if (!/^\d+$/.test(maxMtimeNs)) return undefined;
    records.push({ id, sig, count, maxMtimeNs: BigInt(maxMtimeNs), start, end });
  }
  return records;
}
