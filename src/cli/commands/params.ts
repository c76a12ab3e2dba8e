/** `trainyard params diff [a] [b]`: which params changed between two revisions. */
import type { Command } from "commander";
import { diffFiles } from "../../core/metrics/diff-metrics.js";
import { formatValue } from "../../core/metrics/format-value.js";
import { cell, tableHeader, tableRow } from "../../core/report/markdown.js";
import { WORKTREE } from "../../io/git/index.js";
import { loadEitherConfig, readParamsAt, resolveRevision } from "../../io/registry/index.js";
import { emit, writeLine } from "../output.js";
import { columns, projectRoot } from "./cli-context.js";

export function registerParams(program: Command): void {
  const params = program.command("params").description("compare params across revisions");
  params
    .command("diff [a] [b]")
    .description("params changed between two revisions (default: HEAD and the working tree)")
    .option("--all", "include unchanged params")
    .option("--md", "Markdown table")
    .option("--json", "machine-readable output")
    .action(
      async (
        a: string | undefined,
        b: string | undefined,
        options: { all?: boolean; md?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const root = projectRoot(cmd);
        const [from, to] = await Promise.all([
          resolveRevision(root, a ?? "HEAD"),
          resolveRevision(root, b ?? WORKTREE),
        ]);
        const config = await loadEitherConfig(root, from, to);
        const [before, after] = await Promise.all([
          readParamsAt(root, from, config.params),
          readParamsAt(root, to, config.params),
        ]);
        const rows = diffFiles(before, after, { includeUnchanged: options.all === true });
        if (options.md && !options.json) {
          writeLine(
            (
              tableHeader(["Param", from.label, to.label]) +
              rows
                .map((r) => tableRow([cell(r.key), cell(formatValue(r.old)), cell(formatValue(r.new))]))
                .join("")
            ).trimEnd(),
          );
          return;
        }
        emit(options.json, { ok: true, a: from, b: to, file: config.params, rows }, () =>
          rows.length
            ? columns([
                ["Param", from.label, to.label],
                ...rows.map((r) => [r.key, formatValue(r.old), formatValue(r.new)]),
              ])
            : `no param changes between ${from.label} and ${to.label}`,
        );
      },
    );
}
