/** `exp diff`, `exp apply`, `exp branch`, `exp remove`: compare experiments and keep or drop them. */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { diffExperiments, renderMarkdown } from "../../core/experiments/index.js";
import { formatValue } from "../../core/metrics/format-value.js";
import { loadConfig } from "../../io/config/index.js";
import {
  applyExperiment,
  branchFromExperiment,
  deleteExperimentRef,
  type ExperimentRef,
  findExperiment,
  listExperimentRefs,
  readExperimentTable,
} from "../../io/experiments/index.js";
import { emit } from "../output.js";
import { columns } from "./cli-context.js";
import { type ExpContext, expContext } from "./exp-context.js";

/** The experiment on HEAD's base when there is one of that name, else the only one of that name anywhere. */
async function resolveExperiment(ctx: ExpContext, name: string): Promise<ExperimentRef> {
  const onBase = (await listExperimentRefs(ctx.gitRoot, ctx.base)).find((r) => r.name === name);
  return onBase ?? findExperiment(ctx.gitRoot, name);
}

export function registerExpManage(exp: Command): void {
  exp
    .command("diff <a> <b>")
    .description("params and metrics on which two experiments differ")
    .option("--json", "machine-readable output")
    .option("--md", "Markdown table")
    .action(async (a: string, b: string, options: { json?: boolean; md?: boolean }, cmd: Command) => {
      const ctx = await expContext(cmd);
      const [refA, refB] = [await resolveExperiment(ctx, a), await resolveExperiment(ctx, b)];
      const { config } = await loadConfig(ctx.repo.root);
      const table = await readExperimentTable({ gitRoot: ctx.gitRoot, projectRoot: ctx.repo.root, config });
      const row = (r: ExperimentRef) => table.rows.find((x) => x.commit === r.commit && x.name === r.name);
      const rowA = row(refA);
      const rowB = row(refB);
      if (!rowA || !rowB) throw new TrainyardError("missing", "experiment vanished while reading");
      const diff = diffExperiments(table, rowA, rowB);
      const cells = diff.map((d) => [
        d.kind,
        d.key,
        formatValue(d.a),
        formatValue(d.b),
        d.delta === null ? "" : formatValue(d.delta),
      ]);
      const header = ["", "key", a, b, "change"];
      if (options.md) process.stdout.write(renderMarkdown({ header, rows: cells }));
      else
        emit(options.json, { a: refA, b: refB, differences: diff }, () =>
          diff.length ? columns([header, ...cells]) : "no differences",
        );
    });

  exp
    .command("apply <name>")
    .description(
      "write an experiment's params, lock, metrics and plots into the working tree; outs from the store, nothing re-run",
    )
    .option("-f, --force", "overwrite uncommitted changes to those files")
    .option("--json", "machine-readable output")
    .action(async (name: string, options: { force?: boolean; json?: boolean }, cmd: Command) => {
      const ctx = await expContext(cmd);
      const ref = await resolveExperiment(ctx, name);
      const result = await applyExperiment(ctx.repo, ctx.gitRoot, ref, { force: options.force === true });
      emit(options.json, { ok: true, experiment: ref, ...result }, (r) =>
        [
          `applied ${name} (${ref.commit.slice(0, 12)})`,
          ...r.written.map((f) => `  wrote    ${f}`),
          ...r.restored.map((f) => `  restored ${f}`),
          "commit them to keep the result",
        ].join("\n"),
      );
    });

  exp
    .command("branch <name> <branch>")
    .description("create a git branch at an experiment's commit")
    .action(async (name: string, branch: string, _options: unknown, cmd: Command) => {
      const ctx = await expContext(cmd);
      const ref = await resolveExperiment(ctx, name);
      await branchFromExperiment(ctx.gitRoot, ref, branch);
      process.stdout.write(`branch ${branch} at ${name} (${ref.commit.slice(0, 12)})\n`);
    });

  exp
    .command("remove <names...>")
    .description("delete experiments (their refs; store objects go with the next gc)")
    .option("-a, --all-bases", "look for the names on every base, not only HEAD")
    .action(async (names: string[], options: { allBases?: boolean }, cmd: Command) => {
      const ctx = await expContext(cmd);
      const refs = await listExperimentRefs(ctx.gitRoot, options.allBases ? undefined : ctx.base);
      const missing = names.filter((n) => !refs.some((r) => r.name === n));
      if (missing.length)
        throw new TrainyardError(
          "missing",
          `no experiment ${missing.join(", ")}${options.allBases ? "" : " on HEAD's base (try --all-bases)"}`,
        );
      for (const ref of refs.filter((r) => names.includes(r.name))) {
        await deleteExperimentRef(ctx.gitRoot, ref);
        process.stdout.write(`removed ${ref.name} (${ref.base.slice(0, 12)})\n`);
      }
    });
}
