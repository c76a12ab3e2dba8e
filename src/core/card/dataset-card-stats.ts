/**
 * What a dataset card says about the data's size: rows (the splits' `num_examples` summed) and
 * bytes (`dataset_size`), read back from its front matter for `registry show`. A card that is
 * missing, malformed or says nothing gives nothing rather than an error: the listing goes on. Pure.
 */
import { isRecord } from "../is-record.js";
import { TrainyardError } from "../errors.js";
import { parseCard } from "./card-document.js";

export interface DatasetCardStats {
  rows?: number;
  bytes?: number;
  splits: string[];
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

export function datasetCardStats(text: string, file: string): DatasetCardStats | undefined {
  let front: unknown;
  try {
    front = parseCard(text, file).frontMatter;
  } catch (thrown) {
    if (thrown instanceof TrainyardError) return undefined;
    throw thrown;
  }
  if (!isRecord(front) || !isRecord(front.dataset_info)) return undefined;
  const info = front.dataset_info;
  const splits = Array.isArray(info.splits) ? info.splits.filter(isRecord) : [];
  const counts = splits.map((s) => s.num_examples);
  return {
    ...(counts.length && counts.every(isCount) ? { rows: counts.reduce((a, b) => a + b, 0) } : {}),
    ...(isCount(info.dataset_size) ? { bytes: info.dataset_size } : {}),
    splits: splits.flatMap((s) => (typeof s.name === "string" ? [s.name] : [])),
  };
}
