/** `trainyard exp run [-S key=values…]`: run variants of the pipeline in worktrees, keep each as an experiment ref. */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { sweepNames } from "../../core/experiments/naming.js";
import { expandGrid, parseSweepArg, sampleGrid } from "../../core/experiments/sweep.js";
import { modifiedTrackedFiles } from "../../io/git/index.js";
import { dequeue, listQueued, queueVariants, runExperiments } from "../../io/experiments/index.js";
import { emit } from "../output.js";
import { expContext, parseWholeNumber } from "./exp-context.js";

interface RunOptions {
  set: string[];
  name?: string;
  jobs: string;
  random?: string;
  seed: string;
  force?: boolean;
  queue?: boolean;
  runAll?: boolean;
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
    .option("--queue", "queue the variants (refs/trainyard/exp-queue/…) instead of running them")
    .option("--run-all", "run every variant queued on HEAD, then take them off the queue")
    .option("--json", "print the results as JSON (stage output goes to stderr)")
    .action(async (options: RunOptions, cmd: Command) => {
      const { repo, gitRoot, base } = await expContext(cmd);
      if (options.runAll && (options.queue || options.set.length || options.name))
        throw new TrainyardError("usage", "--run-all runs the queue as it is: give no -S, --name or --queue");
      const queued = options.runAll ? await listQueued(gitRoot, base) : [];
      let grid = options.runAll ? queued.map((q) => q.overrides) : expandGrid(options.set.map(parseSweepArg));
      if (options.random !== undefined) {
        grid = sampleGrid(
          grid,
          parseWholeNumber("--random", options.random, 1),
          parseWholeNumber("--seed", options.seed, 0),
        );
      }
      const names = options.runAll ? queued.map((q) => q.name) : sweepNames(base, grid, options.name);
      if (new Set(names).size !== names.length)
        throw new TrainyardError("usage", "two variants got the same name");
      if (options.queue) {
        await queueVariants(
          gitRoot,
          base,
          grid.map((overrides, i) => ({ name: names[i] as string, overrides })),
        );
        emit(
          options.json,
          { ok: true, base, queued: names },
          () =>
            `queued ${names.length} experiment(s): ${names.join(", ")}; run them with \`trainyard exp run --run-all\``,
        );
        return;
      }
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
      // Off the queue once recorded (a failed run is recorded too); a crash leaves the queue as it was.
      for (const entry of queued)
        if (outcomes.some((o) => o.record.name === entry.name)) await dequeue(gitRoot, entry);
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
