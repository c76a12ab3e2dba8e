/**
 * `trainyard monitor`: drift (PSI, Kolmogorov–Smirnov) between reference and current data per
 * feature, plus quality gates on live metrics. Exit codes: 0 within thresholds,
 * 3 (MONITOR_EXIT_DRIFT) when drift or live quality crosses a threshold, 1 on errors.
 */
import type { Command } from "commander";
import { formatNumber } from "../../core/metrics/format-value.js";
import type { MonitorReport } from "../../core/monitor/index.js";
import { MONITOR_EXIT_DRIFT, runMonitor } from "../../io/monitor/index.js";
import { emit, writeLine } from "../output.js";
import { commandCwd } from "./cli-context.js";

interface MonitorOptions {
  reference?: string;
  current?: string;
  metrics?: string;
  json?: boolean;
  md?: boolean;
}

export function registerMonitor(program: Command): void {
  program
    .command("monitor")
    .description(
      `compare current data with the reference (PSI, KS test) and check live metrics against gates; exit ${MONITOR_EXIT_DRIFT} on drift`,
    )
    .option("--reference <file>", "reference CSV (default: monitor.reference)")
    .option("--current <file>", "current CSV (default: monitor.current)")
    .option("--metrics <file>", "live metrics file for monitor.gates (default: monitor.metrics)")
    .option("--json", "print the full report as JSON")
    .option("--md", "print the report as Markdown")
    .action(async (options: MonitorOptions, cmd: Command) => {
      const cwd = commandCwd(cmd);
      const outcome = await runMonitor({
        cwd,
        ...(options.reference ? { reference: options.reference } : {}),
        ...(options.current ? { current: options.current } : {}),
        ...(options.metrics ? { metrics: options.metrics } : {}),
      });
      const { report } = outcome;
      if (options.md && !options.json) writeLine(outcome.markdown.trimEnd());
      else {
        emit(options.json, { ok: true, ...report, ...(outcome.model ? { model: outcome.model } : {}) }, () =>
          summarise(outcome.report),
        );
      }
      if (report.decision.drifted) process.exitCode = MONITOR_EXIT_DRIFT;
    });
}

function summarise(report: MonitorReport): string {
  const lines = [
    `${report.reference.file} (${report.reference.rows} rows) → ${report.current.file} (${report.current.rows} rows)`,
  ];
  for (const f of report.features) {
    const ks = f.ks ? `  KS D ${formatNumber(f.ks.d)} p ${formatNumber(f.ks.pValue)}` : "";
    const psi = f.psi === null ? "—" : formatNumber(f.psi);
    lines.push(`  ${f.drifted ? "✗" : "✓"} ${f.feature.padEnd(16)} PSI ${psi}${ks}`);
  }
  for (const g of report.quality?.evaluation.results ?? []) {
    lines.push(`  ${g.status === "pass" ? "✓" : "✗"} live ${g.explanation}`);
  }
  lines.push(
    report.decision.drifted
      ? `drift: ${report.decision.reasons.length} threshold(s) crossed`
      : "no drift: all features and live metrics within thresholds",
  );
  return lines.join("\n");
}
