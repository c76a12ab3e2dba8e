/**
 * Pipeline figure: a no-op `trainyard status` on a pipeline whose deps hold 100,000 files
 * (after one `trainyard run`), against `git status` on the same tree with the files committed —
 * goal ≤ 1.5×. The stat cache's tree signature is what keeps this cheap: unchanged deps are not
 * re-hashed. The same no-op with the file-system monitor (`TRAINYARD_FSMONITOR=watchman`, when
 * watchman is installed) walks nothing — goal ≤ 1.5× too. Run alone: `node --import tsx bench/index.ts pipeline`.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchFigure, median } from "./figure.js";
import { timedRun } from "./run-timed.js";
import { monitoredNoOpFigure, withMonitor, writeWatchmanConfig } from "./support/watchman.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data", "pipeline-status");
const CLI = join(ROOT, "bin", "trainyard.js");
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@trainyard.invalid",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@trainyard.invalid",
};

const timed = (command: string, args: readonly string[], cwd: string) => timedRun(command, args, cwd, ENV);
const trainyard = (args: readonly string[], cwd: string) => timed(process.execPath, [CLI, ...args], cwd);
const git = (args: readonly string[], cwd: string) => timed("git", args, cwd);
const monitored = (args: readonly string[], cwd: string) =>
  timedRun(process.execPath, [CLI, ...args], cwd, withMonitor(ENV));

const CONFIG = `stages:
  count:
    cmd: node -e "require('fs').writeFileSync('count.txt', String(process.env.TRAINYARD_STAGE))"
    deps: [data]
    outs: [count.txt]
`;

function writeManyFiles(dir: string, count: number, size: number): void {
  const pool = randomBytes(size + count);
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${String(Math.floor(i / 1000)).padStart(3, "0")}`);
    if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.bin`), pool.subarray(i, i + size));
  }
}

export async function benchPipelineStatus(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<BenchFigure[]> {
  const count = options.quick ? 20_000 : 100_000;
  rmSync(DATA, { recursive: true, force: true });
  mkdirSync(DATA, { recursive: true });
  try {
    git(["init", "-q", "-b", "main"], DATA);
    // Committing 100,000 loose objects starts `git gc --auto` in the background; it then writes into
    // .git while the clean-up removes it (ENOTEMPTY) and competes with the timed commands.
    git(["config", "gc.auto", "0"], DATA);
    trainyard(["init"], DATA);
    writeFileSync(join(DATA, "trainyard.yaml"), CONFIG);
    writeWatchmanConfig(DATA); // committed with the rest; only read when the monitor is on
    options.log(`writing ${count} dep files`);
    writeManyFiles(join(DATA, "data"), count, 64);
    git(["add", "-A"], DATA);
    git(["commit", "-q", "-m", "pipeline"], DATA);
    options.log("first trainyard run (hashes every dep file once)");
    const firstRun = trainyard(["run"], DATA);
    options.log(`first run: ${firstRun.toFixed(2)} s`);
    git(["add", "-A"], DATA);
    git(["commit", "-q", "-m", "lock"], DATA);
    // Warm both (page cache, git index refresh), then take the median of a few runs.
    trainyard(["status"], DATA);
    git(["status"], DATA);
    const runs = options.quick ? 3 : 5;
    const ours = median(Array.from({ length: runs }, () => trainyard(["status"], DATA)));
    const theirs = median(Array.from({ length: runs }, () => git(["status"], DATA)));
    const noOpRun = median(Array.from({ length: runs }, () => trainyard(["run"], DATA)));
    const monitoredRun = monitoredNoOpFigure({
      name: `no-op trainyard run with the file-system monitor, deps holding ${count} files (baseline: git status)`,
      repo: DATA,
      runs,
      gitStatus: theirs,
      status: () => monitored(["run"], DATA),
      log: options.log,
      info: true,
    });
    const monitorFigures = monitoredNoOpFigure({
      name: `no-op pipeline status with the file-system monitor (watchman), deps holding ${count} files`,
      repo: DATA,
      runs,
      gitStatus: theirs,
      status: () => monitored(["status"], DATA),
      log: options.log,
    });
    return [
      ...monitorFigures,
      ...monitoredRun,
      {
        name: `no-op pipeline status, deps holding ${count} files`,
        value: ours,
        unit: "s",
        baseline: theirs,
        ratio: ours / theirs,
        goal: "≤ 1.5× git status",
        met: ours / theirs <= 1.5,
      },
      {
        name: `no-op trainyard run, deps holding ${count} files (baseline: git status)`,
        value: noOpRun,
        unit: "s",
        baseline: theirs,
        ratio: noOpRun / theirs,
        goal: "info",
        met: true,
      },
    ];
  } finally {
    rmSync(DATA, { recursive: true, force: true });
  }
}
