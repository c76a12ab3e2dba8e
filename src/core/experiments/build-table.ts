/**
 * One row per experiment for `exp show`: the params that differ from the base, the metrics, each
 * model's gate verdict (judged against the base's metrics, as a PR would be), duration and status;
 * sorted by any column. Pure: the experiments' files come in as text, rows come out.
 */
import { evaluateGates, type GateSpec, type GateStatus } from "../gates.js";
import { asNumber, type FlatRecord, type FlatValue, flattenRecord } from "../metrics/flatten.js";
import { parseMetricsText } from "../metrics/parse-metrics-file.js";
import { TrainyardError } from "../errors.js";
import { parse as parseYaml } from "yaml";
import type { ExperimentRecord } from "./record.js";

export interface ExperimentFiles {
  name: string;
  base: string;
  commit: string;
  /** Parsed from the commit message; undefined for a ref someone wrote by hand. */
  record: ExperimentRecord | undefined;
  paramsText: string | undefined;
  /** Metrics file path → its text at the experiment's commit. */
  metricsTexts: Readonly<Record<string, string | undefined>>;
}

export interface BaseFiles {
  paramsText: string | undefined;
  metricsTexts: Readonly<Record<string, string | undefined>>;
}

export interface ModelGates {
  model: string;
  metricsFile: string;
  gates: Readonly<Record<string, GateSpec>>;
}

export interface ExperimentRow {
  name: string;
  base: string;
  commit: string;
  status: ExperimentRecord["status"] | "unknown";
  durationMs: number | null;
  createdAt: string | null;
  params: FlatRecord;
  metrics: FlatRecord;
  gates: Record<string, GateStatus>;
}

export interface ExperimentTable {
  paramKeys: string[];
  metricKeys: string[];
  models: string[];
  rows: ExperimentRow[];
}

function flatParams(text: string | undefined): FlatRecord {
  if (text === undefined) return {};
  try {
    return flattenRecord(parseYaml(text));
  } catch {
    return {};
  }
}

/** Metrics of every file, keyed bare when there is one file and `file:key` when several. */
function flatMetrics(
  texts: Readonly<Record<string, string | undefined>>,
  files: readonly string[],
): Record<string, FlatRecord> {
  const byFile: Record<string, FlatRecord> = {};
  for (const file of files) {
    const text = texts[file];
    if (text === undefined) continue;
    try {
      byFile[file] = parseMetricsText(text, file);
    } catch {
      // A damaged metrics file shows as missing metrics (and a "missing" gate), not a crash.
    }
  }
  return byFile;
}

function combine(byFile: Record<string, FlatRecord>, files: readonly string[]): FlatRecord {
  const out: FlatRecord = {};
  for (const file of files) {
    for (const [k, v] of Object.entries(byFile[file] ?? {})) {
      Object.defineProperty(out, files.length === 1 ? k : `${file}:${k}`, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

/**
 * An experiment's params. `exp run` writes exactly the base's params file with its overrides set,
 * so a recorded experiment's params are the base's plus its overrides, without parsing a YAML file
 * per experiment (the costliest part of a thousand-row table). A ref without a record, or one on
 * another base than it claims, has its own params file read.
 */
function paramsOf(exp: ExperimentFiles, baseParams: FlatRecord): FlatRecord {
  if (!exp.record || exp.record.base !== exp.base) return flatParams(exp.paramsText);
  const params: FlatRecord = { ...baseParams };
  for (const [key, value] of exp.record.overrides) {
    Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return params;
}

export function buildExperimentTable(
  experiments: readonly ExperimentFiles[],
  bases: ReadonlyMap<string, BaseFiles>,
  metricsFiles: readonly string[],
  models: readonly ModelGates[],
): ExperimentTable {
  const changed = new Set<string>();
  const metricKeys = new Set<string>();
  // Each base is parsed once, however many experiments it has.
  const parsedBases = new Map<string, { params: FlatRecord; metrics: Record<string, FlatRecord> }>();
  const parsedBase = (sha: string) => {
    let parsed = parsedBases.get(sha);
    if (!parsed) {
      const files = bases.get(sha);
      parsed = {
        params: flatParams(files?.paramsText),
        metrics: flatMetrics(files?.metricsTexts ?? {}, metricsFiles),
      };
      parsedBases.set(sha, parsed);
    }
    return parsed;
  };
  const rows = experiments.map((exp): ExperimentRow => {
    const { params: baseParams, metrics: baseByFile } = parsedBase(exp.base);
    const params = paramsOf(exp, baseParams);
    for (const key of new Set([...Object.keys(params), ...Object.keys(baseParams)])) {
      if (!Object.is(params[key], baseParams[key])) changed.add(key);
    }
    const byFile = flatMetrics(exp.metricsTexts, metricsFiles);
    const metrics = combine(byFile, metricsFiles);
    for (const key of Object.keys(metrics)) metricKeys.add(key);
    const gates: Record<string, GateStatus> = {};
    for (const m of models) {
      if (Object.keys(m.gates).length === 0) continue;
      gates[m.model] = evaluateGates(m.gates, byFile[m.metricsFile], baseByFile[m.metricsFile]).status;
    }
    return {
      name: exp.name,
      base: exp.base,
      commit: exp.commit,
      status: exp.record?.status ?? "unknown",
      durationMs: exp.record?.durationMs ?? null,
      createdAt: exp.record?.createdAt ?? null,
      params,
      metrics,
      gates,
    };
  });
  const paramKeys = [...changed].sort();
  return {
    paramKeys,
    metricKeys: [...metricKeys].sort(),
    models: models.filter((m) => Object.keys(m.gates).length > 0).map((m) => m.model),
    rows: rows.map((r) => ({
      ...r,
      params: Object.fromEntries(paramKeys.map((k) => [k, r.params[k] ?? null])),
    })),
  };
}

export interface SortSpec {
  key: string;
  descending: boolean;
}

/** `accuracy:desc`, `train.max_depth`, `duration:asc`, `name`. */
export function parseSortSpec(text: string): SortSpec {
  const match = /^(.+?)(?::(asc|desc))?$/.exec(text.trim());
  if (!match?.[1])
    throw new TrainyardError("usage", `--sort expects key[:asc|desc], got ${JSON.stringify(text)}`);
  return { key: match[1], descending: match[2] === "desc" };
}

function sortValue(row: ExperimentRow, key: string): FlatValue | undefined {
  if (key === "name" || key === "status" || key === "createdAt") return row[key];
  if (key === "duration") return row.durationMs;
  if (Object.hasOwn(row.metrics, key)) return row.metrics[key];
  if (Object.hasOwn(row.params, key)) return row.params[key];
  return undefined;
}

/** Rows ordered by `spec`; rows without the value go last either way; ties keep name order. */
export function sortExperimentRows(table: ExperimentTable, spec: SortSpec | undefined): ExperimentTable {
  const known = ["name", "status", "createdAt", "duration", ...table.metricKeys, ...table.paramKeys];
  if (spec && !known.includes(spec.key)) {
    throw new TrainyardError(
      "usage",
      `--sort: no column ${JSON.stringify(spec.key)}; columns are ${known.join(", ")}`,
    );
  }
  const byName = [...table.rows].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.base < b.base ? -1 : 1,
  );
  if (!spec) return { ...table, rows: byName };
  const rows = byName
    .map((row, i) => ({ row, i, v: sortValue(row, spec.key) }))
    .sort((a, b) => {
      const aMissing = a.v === undefined || a.v === null;
      const bMissing = b.v === undefined || b.v === null;
      if (aMissing || bMissing) return aMissing === bMissing ? a.i - b.i : aMissing ? 1 : -1;
      const an = asNumber(a.v as FlatValue);
      const bn = asNumber(b.v as FlatValue);
      const order = an !== undefined && bn !== undefined ? an - bn : String(a.v).localeCompare(String(b.v));
      return (spec.descending ? -order : order) || a.i - b.i;
    })
    .map(({ row }) => row);
  return { ...table, rows };
}
