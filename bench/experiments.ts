/**
 * Experiments figures. (1) `trainyard exp show --json` over 1,000 experiments (DVC users report
 * `dvc exp show` taking minutes at that size) against `git for-each-ref` listing the same refs:
 * the table costs one for-each-ref and one cat-file --batch, so the ratio stays small. The
 * experiment commits are written with one `git fast-import`. (2) A 6-variant sweep on examples/iris
 * with `--jobs 2` against the same sweep with `--jobs 1`, each in a fresh copy (empty run cache).
 * Run alone: `node --import tsx bench/index.ts experiments`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { experimentCommitMessage } from "../src/core/experiments/index.js";
import { STATE_GITIGNORE } from "../src/io/git/index.js";
import { type BenchFigure, median } from "./figure.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data", "experiments");
const CLI = join(ROOT, "bin", "trainyard.js");
const IDENTITY = {
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@trainyard.invalid",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@trainyard.invalid",
};

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  input?: string,
): { seconds: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    input,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, ...IDENTITY },
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

/** A copy of examples/iris as a committed git repository (node_modules linked, as the tests do). */
export function irisRepo(dir: string): string {
  cpSync(join(ROOT, "examples", "iris"), dir, {
    recursive: true,
    filter: (p) => !p.endsWith("node_modules"),
  });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  mkdirSync(join(dir, ".trainyard"), { recursive: true });
  writeFileSync(join(dir, ".trainyard", ".gitignore"), STATE_GITIGNORE);
  run("git", ["init", "-q", "-b", "main"], dir);
  run("git", ["add", "-A"], dir);
  run("git", ["commit", "-q", "-m", "iris"], dir);
  return run("git", ["rev-parse", "HEAD"], dir).stdout.trim();
}

/** `count` experiment commits on `base`, each with its params, metrics and lock, as one fast-import stream. */
export function experimentStream(base: string, count: number): string {
  const out: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let i = 0; i < count; i++) {
    const name = `exp-${String(i).padStart(4, "0")}`;
    const depth = 1 + (i % 7);
    const trees = 5 + (i % 50);
    const record = {
      name,
      base,
      overrides: [
        ["train.max_depth", depth],
        ["train.n_estimators", trees],
      ] as [string, number][],
      status: "success" as const,
      durationMs: 1000 + i,
      createdAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    };
    out.push(
      `commit refs/trainyard/exp/${base}/${name}\ncommitter bench <bench@trainyard.invalid> ${1_700_000_000 + i} +0000\n`,
    );
    out.push(data(experimentCommitMessage(record)));
    out.push(`from ${base}\n`);
    const params = `prepare:\n  split: 0.3\n  seed: 20240601\ntrain:\n  n_estimators: ${trees}\n  max_features: 0.75\n  max_depth: ${depth}\n  min_samples: 3\n  seed: 42\n`;
    out.push(`M 644 inline params.yaml\n${data(params)}`);
    const accuracy = 0.9 + ((i * 7919) % 1000) / 10_000;
    out.push(
      `M 644 inline metrics.json\n${data(JSON.stringify({ accuracy, f1_macro: accuracy - 0.01, samples: 45 }, null, 2))}`,
    );
    out.push(`M 644 inline trainyard.lock\n${data(`schema: 1\nstages: {}\n`)}`);
  }
  return out.join("");
}

export async function benchExperiments(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<BenchFigure[]> {
  rmSync(DATA, { recursive: true, force: true });
  mkdirSync(DATA, { recursive: true });
  try {
    const figures: BenchFigure[] = [];
    const many = join(DATA, "many");
    mkdirSync(many);
    const base = irisRepo(many);
    const count = 1_000;
    const imported = run("git", ["fast-import", "--quiet"], many, experimentStream(base, count));
    options.log(
      `wrote ${count} experiment commits with one git fast-import in ${imported.seconds.toFixed(2)} s`,
    );
    const rounds = options.quick ? 3 : 5;
    const ours: number[] = [];
    const oursCpu: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < rounds; i++) {
      baseline.push(run("git", ["for-each-ref", "refs/trainyard/exp/"], many).seconds);
      const shown = run(process.execPath, [CLI, "exp", "show", "--json"], many);
      ours.push(shown.seconds);
      // CPU time (user + sys) of the same command: a loaded machine inflates wall time, not this.
      const timed = spawnSync(
        "/usr/bin/time",
        ["-f", "%U %S", process.execPath, CLI, "exp", "show", "--json"],
        {
          cwd: many,
          encoding: "utf8",
          maxBuffer: 1 << 28,
        },
      );
      const cpu = /([\d.]+) ([\d.]+)\s*$/.exec(timed.stderr ?? "");
      if (timed.status === 0 && cpu) oursCpu.push(Number(cpu[1]) + Number(cpu[2]));
      const rows = (JSON.parse(shown.stdout) as { rows: unknown[] }).rows.length;
      if (rows !== count) throw new Error(`exp show listed ${rows} experiments, expected ${count}`);
    }
    figures.push({
      name: `exp show --json, ${count} experiments`,
      value: median(ours),
      unit: "s",
      baseline: median(baseline),
      ratio: median(ours) / median(baseline),
      goal: "< 1 s (baseline: git for-each-ref on the same refs)",
      met: median(ours) < 1,
    });
    if (oursCpu.length) {
      figures.push({
        name: `exp show --json, ${count} experiments, CPU time (user+sys)`,
        value: median(oursCpu),
        unit: "s",
        baseline: median(baseline),
        ratio: median(oursCpu) / median(baseline),
        goal: "info",
        met: true,
      });
    }

    const sweep = ["-S", "prepare.split=0.2,0.3,0.5", "-S", "train.max_depth=1,3"];
    const wall = (jobs: number) => {
      const dir = join(DATA, `sweep-${jobs}`);
      mkdirSync(dir);
      irisRepo(dir);
      return run(process.execPath, [CLI, "exp", "run", ...sweep, "--jobs", String(jobs), "--json"], dir)
        .seconds;
    };
    const sequential = wall(1);
    const parallel = wall(2);
    options.log(`6-variant sweep: --jobs 1 ${sequential.toFixed(1)} s, --jobs 2 ${parallel.toFixed(1)} s`);
    figures.push({
      name: "6-variant iris sweep, --jobs 2 (baseline: --jobs 1)",
      value: parallel,
      unit: "s",
      baseline: sequential,
      ratio: parallel / sequential,
      goal: "ratio < 1 on 2 cores",
      met: parallel < sequential,
    });
    return figures;
  } finally {
    rmSync(DATA, { recursive: true, force: true });
  }
}
