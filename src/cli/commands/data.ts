/** `trainyard data describe <path>`: what a table holds, column by column (the PR report's data section). */
import type { Command } from "commander";
import { tableFormatOf } from "../../core/data-summary/parse-table.js";
import { TrainyardError } from "../../core/errors.js";
import { formatValue } from "../../core/metrics/format-value.js";
import { topValues } from "../../core/report/render-data-section.js";
import { oneLine } from "../../core/trust/index.js";
import { describeTableAt } from "../../io/tables/index.js";
import { openRepo, WORKTREE } from "../../io/git/index.js";
import { resolveRevision } from "../../io/registry/index.js";
import { emit } from "../output.js";
import { columns, projectRoot } from "./cli-context.js";

export function registerData(program: Command): void {
  const data = program.command("data").description("look inside versioned data");
  data
    .command("describe <path>")
    .description(
      "rows, and per column its type, count, nulls, mean/min/max or top values (CSV, TSV, JSON Lines, Parquet)",
    )
    .option("--rev <rev>", "the file at a commit, branch or tag instead of the working tree")
    .option("--json", "machine-readable output")
    .action(async (path: string, options: { rev?: string; json?: boolean }, cmd: Command) => {
      const root = projectRoot(cmd);
      if (!tableFormatOf(path))
        throw new TrainyardError(
          "usage",
          `${path}: data describe reads .csv, .tsv, .jsonl, .ndjson and .parquet files`,
        );
      const rev = await resolveRevision(root, options.rev ?? WORKTREE);
      const result = await describeTableAt(openRepo(root), rev.rev, path);
      if ("note" in result) throw new TrainyardError("data", `${path}: ${result.note}`);
      const { summary, oid } = result;
      emit(options.json, { ok: true, path, revision: rev, oid, ...summary }, () => {
        // Terminal output: one line per cell, no control characters (no escape sequences from data).
        const text = (value: string) => oneLine(value, 60);
        const number = (value: number | undefined) => (value === undefined ? "" : formatValue(value));
        return [
          `${text(path)} (${summary.format}): ${summary.rows} rows, ${summary.columns.length} columns`,
          columns([
            ["Column", "Type", "Count", "Nulls", "Mean", "Min", "Max", "Top values"],
            ...summary.columns.map((c) => [
              text(c.name),
              c.type,
              String(c.count),
              String(c.nulls),
              number(c.mean),
              number(c.min),
              number(c.max),
              text(topValues(c)),
            ]),
          ]),
        ].join("\n");
      });
    });
}
