/** `trainyard exp show`: every experiment on the current base (or all) in one table, from git refs alone. */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import {
  parseSortSpec,
  renderCsv,
  renderMarkdown,
  sortExperimentRows,
  tableColumns,
} from "../../core/experiments/index.js";
import { loadConfig } from "../../io/config/index.js";
import { readExperimentTable } from "../../io/experiments/index.js";
import { writeJson } from "../output.js";
import { columns } from "./cli-context.js";
import { expContext } from "./exp-context.js";

interface ShowOptions {
  all?: boolean;
  sort?: string;
  metrics?: string;
  json?: boolean;
  csv?: boolean;
  md?: boolean;
}

export function registerExpShow(exp: Command): void {
  exp
    .command("show")
    .description("compare experiments: params that differ, metrics, gate verdicts, duration, status")
    .option("-a, --all", "experiments on every base, not only HEAD")
    .option(
      "--sort <key[:order]>",
      "order by a metric, a param, name or duration; order is asc or desc (e.g. accuracy:desc)",
    )
    .option("--metrics <keys>", "comma-separated metrics to show (default: all)")
    .option("--json", "machine-readable output")
    .option("--csv", "CSV output")
    .option("--md", "Markdown table")
    .action(async (options: ShowOptions, cmd: Command) => {
      if ([options.json, options.csv, options.md].filter(Boolean).length > 1) {
        throw new TrainyardError("usage", "choose one of --json, --csv and --md");
      }
      const { repo, gitRoot, base } = await expContext(cmd);
      const { config } = await loadConfig(repo.root);
      const table = sortExperimentRows(
        await readExperimentTable({
          gitRoot,
          projectRoot: repo.root,
          config,
          ...(options.all ? {} : { base }),
        }),
        options.sort ? parseSortSpec(options.sort) : undefined,
      );
      if (options.json) {
        writeJson({ base: options.all ? null : base, ...table });
        return;
      }
      const wanted = options.metrics
        ?.split(",")
        .map((m) => m.trim())
        .filter(Boolean);
      const unknown = table.rows.length ? (wanted?.filter((m) => !table.metricKeys.includes(m)) ?? []) : [];
      if (unknown.length)
        throw new TrainyardError(
          "usage",
          `--metrics: no metric ${unknown.join(", ")}; metrics are ${table.metricKeys.join(", ")}`,
        );
      const cols = tableColumns(table, wanted);
      if (options.csv) process.stdout.write(renderCsv(cols));
      else if (options.md) process.stdout.write(renderMarkdown(cols));
      else if (table.rows.length === 0)
        process.stdout.write(`no experiments${options.all ? "" : ` on ${base.slice(0, 12)} (try --all)`}\n`);
      else process.stdout.write(`${columns([cols.header, ...cols.rows])}\n`);
    });
}
