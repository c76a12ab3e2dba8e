/**
 * dvc.yaml → trainyard.yaml, as data: stages keep DVC's shape where trainyard.yaml takes it (cmd,
 * wdir, deps, params, outs with cache/persist, metrics, plots, foreach/do, matrix, frozen,
 * always_changed, desc, vars), top-level metrics and plots stay top-level (each is read from the
 * stage whose out holds it), `artifacts:` become `models:`. Whatever has no equivalent is listed in
 * `unmapped` with its key path, never dropped silently.
 */
import { REGISTRY_NAME_PATTERN } from "../config/schema.js";

export interface Conversion {
  config: Record<string, unknown>;
  unmapped: string[];
}

type Entry = Record<string, unknown>;
const isRecord = (v: unknown): v is Entry => v !== null && typeof v === "object" && !Array.isArray(v);

const STAGE_KEYS = ["wdir", "deps", "params", "frozen", "always_changed", "desc", "foreach", "matrix"];
const OUT_OPTIONS = ["cache", "persist"];
const PLOT_PROPS = ["x", "y", "template", "title", "x_label", "y_label"];
const DVC_TEMPLATES: Readonly<Record<string, string>> = { simple: "linear" };

/** `- path` or `- path: {options}`: keep the options trainyard.yaml takes, report the others. */
function convertEntries(
  list: unknown,
  where: string,
  keep: readonly string[],
  unmapped: string[],
): unknown[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry, i) => {
    if (!isRecord(entry)) return entry;
    const [path, options] = Object.entries(entry)[0] ?? ["", undefined];
    if (!isRecord(options)) return path;
    const kept: Entry = {};
    for (const [key, value] of Object.entries(options)) {
      if (key === "template" && typeof value === "string" && value in DVC_TEMPLATES)
        kept.template = DVC_TEMPLATES[value];
      else if (keep.includes(key)) kept[key] = value;
      else unmapped.push(`${where}[${i}] ${path}: option "${key}" has no equivalent (dropped)`);
    }
    return Object.keys(kept).length ? { [path]: kept } : path;
  });
}

/** Metrics are committed to git unless a cached out carries them: DVC's `cache` option does not apply. */
function convertMetrics(list: unknown, where: string, unmapped: string[]): unknown[] {
  return convertEntries(list, where, [], unmapped);
}

function convertStage(name: string, stage: Entry, unmapped: string[]): Entry {
  const where = `stages.${name}`;
  const body = isRecord(stage.do) ? stage.do : stage;
  const out: Entry = {};
  const cmd = body.cmd;
  // DVC runs a list of commands one after another, stopping at the first failure.
  out.cmd = Array.isArray(cmd) ? cmd.map(String).join(" && ") : cmd;
  for (const key of STAGE_KEYS) if (body[key] !== undefined) out[key] = body[key];
  if (body.outs !== undefined) out.outs = convertEntries(body.outs, `${where}.outs`, OUT_OPTIONS, unmapped);
  if (body.metrics !== undefined) out.metrics = convertMetrics(body.metrics, `${where}.metrics`, unmapped);
  if (body.plots !== undefined)
    out.plots = convertEntries(body.plots, `${where}.plots`, PLOT_PROPS, unmapped);
  for (const key of Object.keys(body)) {
    if (key === "cmd" || STAGE_KEYS.includes(key) || ["outs", "metrics", "plots"].includes(key)) continue;
    unmapped.push(`${where}.${key}: no equivalent in trainyard.yaml (dropped)`);
  }
  if (body === stage) return out;
  return { foreach: stage.foreach, do: out };
}

function convertArtifacts(artifacts: unknown, unmapped: string[]): Entry {
  const models: Entry = {};
  if (!isRecord(artifacts)) return models;
  for (const [name, raw] of Object.entries(artifacts)) {
    if (!isRecord(raw) || typeof raw.path !== "string") {
      unmapped.push(`artifacts.${name}: no path (skipped)`);
      continue;
    }
    if (!REGISTRY_NAME_PATTERN.test(name)) {
      unmapped.push(`artifacts.${name}: the name is not a registry name trainyard accepts (skipped)`);
      continue;
    }
    const type = raw.type ?? "model";
    if (type !== "model" && type !== "dataset") {
      unmapped.push(`artifacts.${name}: type "${String(type)}" is neither model nor dataset (skipped)`);
      continue;
    }
    models[name] = {
      type,
      path: raw.path,
      ...(typeof raw.desc === "string" ? { description: raw.desc } : {}),
      ...(Array.isArray(raw.labels) ? { tags: raw.labels.map(String) } : {}),
    };
    if (raw.meta !== undefined) unmapped.push(`artifacts.${name}.meta: no equivalent in models (dropped)`);
  }
  return models;
}

export function convertDvcYaml(dvcYaml: unknown): Conversion {
  const unmapped: string[] = [];
  const doc = isRecord(dvcYaml) ? dvcYaml : {};
  const stages: Entry = {};
  for (const [name, stage] of Object.entries(isRecord(doc.stages) ? doc.stages : {})) {
    if (isRecord(stage)) stages[name] = convertStage(name, stage, unmapped);
  }
  const config: Entry = { stages };
  if (doc.vars !== undefined) config.vars = doc.vars;
  if (doc.metrics !== undefined) config.metrics = convertMetrics(doc.metrics, "metrics", unmapped);
  if (doc.plots !== undefined) config.plots = convertEntries(doc.plots, "plots", PLOT_PROPS, unmapped);
  const models = convertArtifacts(doc.artifacts, unmapped);
  if (Object.keys(models).length) config.models = models;
  for (const key of Object.keys(doc)) {
    if (["stages", "vars", "metrics", "plots", "artifacts"].includes(key)) continue;
    unmapped.push(`${key}: top-level key with no equivalent in trainyard.yaml (dropped)`);
  }
  return { config, unmapped };
}
