/**
 * `trainyard monitor` at the edge: read the `monitor:` settings, the reference and current CSV
 * files, the live metrics and the model's baseline metrics, then hand them to the pure core.
 * Paths from trainyard.yaml are relative to the repository root; paths given as options
 * (`reference`, `current`, `metrics`) are relative to `cwd`, like any command-line path.
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Config, MonitorConfig } from "../../core/config/schema.js";
import { CONFIG_FILE } from "../../core/file-names.js";
import { errnoCode, TrainyardError, toError } from "../../core/errors.js";
import type { FlatRecord } from "../../core/metrics/flatten.js";
import { parseMetricsText } from "../../core/metrics/parse-metrics-file.js";
import {
  buildMonitorReport,
  type MonitorReport,
  parseCsvTable,
  renderMonitorMarkdown,
} from "../../core/monitor/index.js";
import { readConfig, workingTreeReader } from "../config/index.js";
import { findRepoRoot } from "../git/index.js";

/** Exit code of `trainyard monitor` when drift or live quality crosses a threshold. */
export const MONITOR_EXIT_DRIFT = 3;

export interface RunMonitorOptions {
  /** Where the command runs; the repository root is found from here. */
  cwd: string;
  reference?: string;
  current?: string;
  /** Live metrics file for the quality gates. */
  metrics?: string;
  /** An already loaded config (the actions pass theirs); read from trainyard.yaml otherwise. */
  config?: Config;
}

export interface MonitorOutcome {
  report: MonitorReport;
  markdown: string;
  /** The model to retrain on drift (`monitor.model`), if configured. */
  model?: string;
  root: string;
}

export async function runMonitor(options: RunMonitorOptions): Promise<MonitorOutcome> {
  const cwd = resolve(options.cwd);
  const root = findRepoRoot(cwd) ?? cwd;
  const config = options.config ?? (await readConfig(workingTreeReader(root)))?.config;
  const settings: Partial<MonitorConfig> = config?.monitor ?? {};
  const fromOption = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p));
  const fromConfig = (p: string | undefined) => (p === undefined ? undefined : join(root, p));

  const referencePath = fromOption(options.reference) ?? fromConfig(settings.reference);
  const currentPath = fromOption(options.current) ?? fromConfig(settings.current);
  if (!referencePath || !currentPath) {
    throw new TrainyardError(
      "usage",
      `no data to compare: set monitor.reference and monitor.current in ${CONFIG_FILE} or pass --reference and --current`,
    );
  }
  const gates = settings.gates ?? {};
  const metricsPath = fromOption(options.metrics) ?? fromConfig(settings.metrics);
  if (Object.keys(gates).length > 0 && !metricsPath) {
    throw new TrainyardError(
      "config",
      "monitor.gates are set but there is no live metrics file: set monitor.metrics or pass --metrics",
      { file: CONFIG_FILE, key: "monitor.gates" },
    );
  }

  const show = (p: string) => displayPath(root, p);
  const [reference, current] = await Promise.all([
    readText(referencePath, "reference data").then((t) => parseCsvTable(t, show(referencePath))),
    readText(currentPath, "current data").then((t) => parseCsvTable(t, show(currentPath))),
  ]);
  const live =
    metricsPath && Object.keys(gates).length > 0
      ? await readMetrics(metricsPath, show(metricsPath))
      : undefined;
  const baseline = await readBaseline(root, config, settings.model);

  const report = buildMonitorReport({
    reference,
    current,
    thresholds: {
      psiMax: settings.psi_max ?? 0.2,
      ksPValueMin: settings.ks_pvalue_min ?? 0.01,
      bins: settings.bins ?? 10,
    },
    ...(settings.features ? { features: settings.features } : {}),
    gates,
    ...(live ? { live } : {}),
    ...(baseline ? { baseline } : {}),
  });
  return {
    report,
    markdown: renderMonitorMarkdown(report),
    root,
    ...(settings.model ? { model: settings.model } : {}),
  };
}

/** The model's committed metrics, the baseline for `max_drop`/`max_rise`; absent → no baseline. */
async function readBaseline(root: string, config: Config | undefined, model: string | undefined) {
  if (!model) return undefined;
  const entry = config?.models[model];
  if (!entry) {
    throw new TrainyardError("config", `monitor.model "${model}" is not a model under models:`, {
      file: CONFIG_FILE,
      key: "monitor.model",
    });
  }
  if (!entry.metrics) return undefined;
  const path = join(root, entry.metrics);
  try {
    return await readMetrics(path, entry.metrics);
  } catch (error) {
    if (error instanceof TrainyardError && error.code === "missing") return undefined;
    throw error;
  }
}

async function readMetrics(path: string, shown: string): Promise<{ file: string; metrics: FlatRecord }> {
  return { file: shown, metrics: parseMetricsText(await readText(path, "live metrics"), shown) };
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") throw new TrainyardError("missing", `${what} file not found: ${path}`);
    throw new TrainyardError("io", `cannot read ${what} file ${path}: ${toError(error).message}`);
  }
}

function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : path;
}
