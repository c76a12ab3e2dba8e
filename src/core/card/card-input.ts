/**
 * Assemble a card's input from what the project already records: the model's config entry, its
 * metrics, the lock (data hashes and params actually used) and the commit. Pure.
 */
import type { FlatRecord } from "../metrics/flatten.js";
import type { CardInput } from "./render-card.js";

/** The parts of a `models.<name>` config entry a card uses (compatible with the config schema). */
export interface CardModelSpec {
  path?: string;
  license?: string;
  library_name?: string;
  tags?: readonly string[];
  datasets?: readonly string[];
  task?: string;
  /** Gated metrics are the headline ones in the card's model-index. */
  gates?: Readonly<Record<string, unknown>>;
}

/** The parts of trainyard.lock a card uses. */
export interface CardLock {
  stages: Readonly<
    Record<
      string,
      {
        deps: readonly { path: string; hash: string; files?: number }[];
        outs: readonly { path: string; hash: string; files?: number }[];
        params: Readonly<Record<string, unknown>>;
      }
    >
  >;
}

const CODE_FILE = /\.(m?js|cjs|m?ts|py|r|sh|ipynb|jl)$/i;

export function buildCardInput(args: {
  model: string;
  spec: CardModelSpec;
  metrics: FlatRecord;
  lock?: CardLock;
  lockHash?: string;
  commit?: string;
  experiment?: { name: string; commit: string };
}): CardInput {
  const data: Record<string, string> = {};
  const params: FlatRecord = {};
  for (const stage of Object.values(args.lock?.stages ?? {})) {
    // Source files are code, not data: the commit already pins them.
    for (const dep of stage.deps)
      if (dep.files !== undefined || !CODE_FILE.test(dep.path)) data[dep.path] = dep.hash;
    for (const out of stage.outs) data[out.path] = out.hash;
    for (const [k, v] of Object.entries(stage.params)) {
      params[k] = typeof v === "object" && v !== null ? JSON.stringify(v) : (v as FlatRecord[string]);
    }
  }
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));
  const firstData = Object.entries(sorted).find(([p]) => p !== args.spec.path)?.[1];
  const datasetId = args.spec.datasets?.[0] ?? args.model;
  return {
    model: args.model,
    ...(args.spec.license ? { license: args.spec.license } : {}),
    ...(args.spec.library_name ? { library_name: args.spec.library_name } : {}),
    ...(args.spec.tags ? { tags: args.spec.tags } : {}),
    ...(args.spec.datasets ? { datasets: args.spec.datasets } : {}),
    ...(args.spec.task ? { task: args.spec.task } : {}),
    dataset: { type: datasetId, name: datasetId, ...(firstData ? { revision: firstData } : {}) },
    metrics: args.metrics,
    headline: headlineMetrics(args.metrics, args.spec.gates),
    lineage: {
      ...(args.commit ? { commit: args.commit } : {}),
      ...(args.lockHash ? { lockHash: args.lockHash } : {}),
      data: sorted,
      params: Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))),
      ...(args.experiment ? { experiment: args.experiment } : {}),
    },
  };
}

/** Gated metrics plus top-level ones (per-class breakdowns like `per_class.setosa.f1` stay in the table). */
function headlineMetrics(
  metrics: FlatRecord,
  gates: Readonly<Record<string, unknown>> | undefined,
): string[] {
  const gated = Object.keys(gates ?? {});
  const topLevel = Object.keys(metrics).filter((k) => !k.includes("."));
  return [...new Set([...gated, ...topLevel])];
}
