/** `trainyard exp run [-S key=values…]`: run variants of the pipeline in worktrees, keep each as an experiment ref. */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { sweepNames } from "../../core/experiments/naming.js";
import { expandGrid, parseSweepArg, sampleGrid } from "../../core/experiments/sweep.js";
import { modifiedTrackedFiles } from "../../io/git/index.js";
import { runExperiments } from "../../io/experiments/index.js";
import { emit } from "../output.js";
import { expContext, parseWholeNumber } from "./exp-context.js";

interface RunOptions {
  set: string[];
  name?: string;
  jobs: string;
  random?: string;
  seed: string;
  force?: boolean;
  json?: boolean;
}

export function registerExpRun(exp: Command): void {
  exp
    .command("run")
    .description(
      "run the pipeline with changed params in isolated worktrees (your working tree is not touched)",
    )
    .option(
      "-S, --set <key=values>",
      "param to change: one value, a list (10,25,50) or range(start,stop[,step]); several -S make a grid",
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option(
      "-n, --name <name>",
      "experiment name (a sweep gets name-1 … name-N); default derived from the params",
    )
    .option("-j, --jobs <n>", "variants run at once", "1")
    .option("--random <k>", "run k variants drawn from the grid instead of all")
    .option("--seed <s>", "seed for --random", "0")
    .option("-f, --force", "replace experiments of the same name on this base")
    .option("--json", "print the results as JSON (stage output goes to stderr)")
    .action(async (options: RunOptions, cmd: Command) => {
      const { repo, gitRoot, base } = await expContext(cmd);
      let grid = expandGrid(options.set.map(parseSweepArg));
      if (options.random !== undefined) {
        grid = sampleGrid(
          grid,
          parseWholeNumber("--random", options.random, 1),
          parseWholeNumber("--seed", options.seed, 0),
        );
      }
      const names = sweepNames(base, grid, options.name);
      if (new Set(names).size !== names.length)
        throw new TrainyardError("usage", "two variants got the same name");
      const human = !options.json;
      const dirty = await modifiedTrackedFiles(repo.root);
      if (dirty.length && human) {
        process.stderr.write(
          `note: experiments start from HEAD; uncommitted changes (${dirty.slice(0, 3).join(", ")}${dirty.length > 3 ? " …" : ""}) are not part of them\n`,
        );
      }
      const outcomes = await runExperiments(repo, {
        gitRoot,
        base,
        variants: grid.map((overrides, i) => ({ name: names[i] as string, overrides })),
        jobs: parseWholeNumber("--jobs", options.jobs, 1),
        force: options.force === true,
        onLine: (line, stream) =>
          (stream === "stdout" && human ? process.stdout : process.stderr).write(`${line}\n`),
        onVariantEnd: (record) => {
          if (human) {
            const mark = record.status === "success" ? "✓" : "✗";
            process.stdout.write(
              `${mark} ${record.name} (${(record.durationMs / 1000).toFixed(1)} s)${record.error ? `: ${record.error}` : ""}\n`,
            );
          }
        },
      });
      emit(
        options.json,
        {
          ok: outcomes.every((o) => o.record.status === "success"),
          base,
          experiments: outcomes.map((o) => ({ ...o.record, commit: o.commit })),
        },
        (data) =>
          `${data.experiments.length} experiment(s) on ${base.slice(0, 12)}; see \`trainyard exp show\``,
      );
      if (outcomes.some((o) => o.record.status !== "success")) process.exitCode = 1;
    });
}
