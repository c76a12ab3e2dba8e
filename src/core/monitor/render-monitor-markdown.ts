/**
 * The monitoring report as GitHub-flavoured Markdown: verdict, per-feature table (worst first),
 * live quality gates, and the reasons. Used for the CLI's `--md`, the job summary and the issue.
 */
import { formatNumber, formatValue } from "../metrics/format-value.js";
import type { MonitorReport } from "./build-monitor-report.js";

export function renderMonitorMarkdown(report: MonitorReport): string {
  const { decision, thresholds: t } = report;
  const drifted = report.features.filter((f) => f.drifted).length;
  const lines = [
    `## Trainyard monitor: ${decision.drifted ? "⚠️ drift or quality threshold crossed" : "✅ within thresholds"}`,
    "",
    `Reference ${code(report.reference.file)} (${report.reference.rows} rows) vs current ${code(report.current.file)} (${report.current.rows} rows).`,
    `Thresholds: PSI ≤ ${formatNumber(t.psiMax)} (${t.bins} quantile bins), KS p-value ≥ ${formatNumber(t.ksPValueMin)}.`,
    `${drifted} of ${report.features.length} features drifted.`,
    "",
    "| feature | type | PSI | KS D | KS p-value | rows (missing) | status |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const f of report.features) {
    const psiBad = f.psi !== null && f.psi > t.psiMax;
    const pBad = f.ks !== undefined && f.ks.pValue < t.ksPValueMin;
    lines.push(
      `| ${cell(f.feature)} | ${f.kind} | ${emphasise(f.psi === null ? "—" : formatNumber(f.psi), psiBad)} | ${
        f.ks ? formatNumber(f.ks.d) : "—"
      } | ${f.ks ? emphasise(formatNumber(f.ks.pValue), pBad) : "—"} | ${f.current.count} (${f.current.missing}) | ${
        f.drifted ? "❌ drifted" : "✅ stable"
      } |`,
    );
  }
  if (report.quality) {
    const q = report.quality;
    lines.push("", `### Live quality (${code(q.file)}${q.baseline ? ` vs ${code(q.baseline)}` : ""})`, "");
    lines.push("| metric | gate | live | baseline | status |", "| --- | --- | --- | --- | --- |");
    for (const g of q.evaluation.results) {
      const icon = g.status === "pass" ? "✅ pass" : g.status === "fail" ? "❌ fail" : "⚠️ missing";
      lines.push(
        `| ${cell(g.metric)} | ${g.kind} ${formatNumber(g.threshold)} | ${formatValue(g.head)} | ${formatValue(g.base)} | ${icon} |`,
      );
    }
  }
  if (decision.reasons.length > 0) {
    lines.push("", "### Why", "", ...decision.reasons.map((r) => `- ${cell(r)}`));
  }
  return `${lines.join("\n")}\n`;
}

function code(text: string): string {
  return `\`${text.replaceAll("`", "'")}\``;
}

/** Table cells cannot hold raw pipes or newlines. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll(/\r?\n/g, " ");
}

function emphasise(text: string, bad: boolean): string {
  return bad ? `**${text}**` : text;
}
