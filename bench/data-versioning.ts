/**
 * Versioned-data figures (issue "Step 1"), each against a baseline measured in the same run:
 *   1. one 1 GiB file: throughput of `trainyard add` (hash + store copy + fsync) vs
 *      `openssl dgst -sha256` — goal ≥ 0.6× — and against the floor any durable add has on this
 *      disk, `dd … conv=fdatasync` of the same file (info); a cold `trainyard status` (pure
 *      hashing, no store copy) vs openssl — goal ≥ 0.8×;
 *   2. 20,000 files of 4 KiB: cold `trainyard status` (hashes every file) vs
 *      `find … -print0 | xargs -0 -P2 sha256sum` — goal ≥ 0.8× the throughput; `add` — goal ≥ 0.4×;
 *   3. 100,000 tracked files: no-op `trainyard status` vs `git status` on the same tree — goal ≤ 1.5×;
 *      with one file changed — goal ≤ 1.5× the no-op; the same no-op with the file-system monitor
 *      (`TRAINYARD_FSMONITOR=watchman`, when watchman is installed) vs `git status` — goal ≤ 1.5×.
 * The real CLI is run as a process (bench/index.ts compiles it with `tsc` first, as `npx trainyard` runs it). Data is
 * generated under bench/.data and deleted afterwards. `--quick` uses smaller sizes.
 * Run alone: `node --import tsx bench/index.ts data`.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchFigure, median } from "./figure.js";
import { timedRun } from "./run-timed.js";
import { monitoredNoOpFigure, withMonitor, writeWatchmanConfig } from "./support/watchman.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data", "data-versioning");
const CLI = join(ROOT, "bin", "trainyard.js");
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@trainyard.invalid",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@trainyard.invalid",
};

const timed = (command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = GIT_ENV) =>
  timedRun(command, args, cwd, env);
const trainyard = (args: readonly string[], cwd: string) => timed(process.execPath, [CLI, ...args], cwd);
const monitored = (args: readonly string[], cwd: string) =>
  timed(process.execPath, [CLI, ...args], cwd, withMonitor(GIT_ENV));
const git = (args: readonly string[], cwd: string) => timed("git", args, cwd);

function freshRepo(name: string): string {
  const dir = join(DATA, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(["init", "-q", "-b", "main"], dir);
  trainyard(["init"], dir);
  return dir;
}

function forgetStatCache(repo: string): void {
  rmSync(join(repo, ".trainyard", "cache"), { recursive: true, force: true });
}

function writeBigFile(path: string, bytes: number): void {
  const chunk = randomBytes(8 * 1024 * 1024);
  const fd = openSync(path, "w");
  for (let written = 0, i = 0; written < bytes; written += chunk.length, i++) {
    chunk.writeUInt32LE(i, 0); // every chunk differs
    writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
  }
  closeSync(fd);
}

function writeManyFiles(dir: string, count: number, size: number): void {
  const perDir = 1000;
  const pool = randomBytes(size + count);
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${String(Math.floor(i / perDir)).padStart(3, "0")}`);
    if (i % perDir === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.bin`), pool.subarray(i, i + size));
  }
}

async function bigFile(quick: boolean, log: (l: string) => void): Promise<BenchFigure[]> {
  const bytes = (quick ? 256 : 1024) * 1024 * 1024;
  const label = quick ? "256 MiB" : "1 GiB";
  const repo = freshRepo("big-file");
  const file = join(repo, "big.bin");
  log(`writing a ${label} file`);
  writeBigFile(file, bytes);
  const mib = bytes / 1024 / 1024;
  timed("openssl", ["dgst", "-sha256", file], repo); // warm the page cache
  const openssl = median([1, 2, 3].map(() => timed("openssl", ["dgst", "-sha256", file], repo)));
  log(`openssl dgst -sha256: ${(mib / openssl).toFixed(0)} MiB/s`);
  const add = trainyard(["add", "big.bin"], repo);
  log(`trainyard add (hash + copy into the store + fsync): ${add.toFixed(2)} s`);
  // What writing the same bytes durably costs on this disk, with no hashing at all.
  const durableCopy = timed(
    "dd",
    [`if=${file}`, `of=${file}.copy`, "bs=4M", "conv=fdatasync", "status=none"],
    repo,
  );
  rmSync(`${file}.copy`, { force: true });
  log(`dd conv=fdatasync (durable copy, no hashing): ${durableCopy.toFixed(2)} s`);
  const cold = median(
    [1, 2, 3].map(() => {
      forgetStatCache(repo);
      return trainyard(["status"], repo);
    }),
  );
  return [
    {
      name: `${label} file: trainyard add throughput (hash + store copy + fsync)`,
      value: mib / add,
      unit: "MiB/s",
      baseline: mib / openssl,
      ratio: openssl / add,
      goal: "≥ 0.6× openssl dgst",
      met: openssl / add >= 0.6,
    },
    {
      name: `${label} file: trainyard add vs a durable copy alone (dd conv=fdatasync)`,
      value: mib / add,
      unit: "MiB/s",
      baseline: mib / durableCopy,
      ratio: durableCopy / add,
      goal: "info",
      met: true,
    },
    {
      name: `${label} file: trainyard hashing throughput (cold status, no stat cache)`,
      value: mib / cold,
      unit: "MiB/s",
      baseline: mib / openssl,
      ratio: openssl / cold,
      goal: "≥ 0.8× openssl dgst",
      met: openssl / cold >= 0.8,
    },
  ];
}

async function manySmallFiles(quick: boolean, log: (l: string) => void): Promise<BenchFigure[]> {
  const count = quick ? 5000 : 20_000;
  const repo = freshRepo("small-files");
  const dir = join(repo, "files");
  log(`writing ${count} files of 4 KiB`);
  writeManyFiles(dir, count, 4096);
  const sha256sum = () =>
    timed("sh", ["-c", "find files -type f -print0 | xargs -0 -P2 sha256sum > /dev/null"], repo);
  sha256sum(); // warm
  const baseline = median([1, 2, 3].map(sha256sum));
  const add = trainyard(["add", "files"], repo);
  log(`trainyard add of the folder (hash + copy + fsync of ${count} objects): ${add.toFixed(2)} s`);
  const cold = median(
    [1, 2, 3].map(() => {
      forgetStatCache(repo);
      return trainyard(["status"], repo);
    }),
  );
  return [
    {
      name: `${count} × 4 KiB files: trainyard hashing (cold status) files/s`,
      value: count / cold,
      unit: "files/s",
      baseline: count / baseline,
      ratio: baseline / cold,
      goal: "≥ 0.8× find | xargs -P2 sha256sum",
      met: baseline / cold >= 0.8,
    },
    {
      name: `${count} × 4 KiB files: trainyard add (hash + copy + fsync) files/s`,
      value: count / add,
      unit: "files/s",
      baseline: count / baseline,
      ratio: baseline / add,
      goal: "≥ 0.4× find | xargs -P2 sha256sum",
      met: baseline / add >= 0.4,
    },
  ];
}

async function noOpStatus(quick: boolean, log: (l: string) => void): Promise<BenchFigure[]> {
  const count = quick ? 20_000 : 100_000;
  const repo = freshRepo("status");
  const data = join(repo, "data");
  log(`writing ${count} tracked files`);
  writeManyFiles(data, count, 64);
  // git tracks the very same tree, through a git dir kept outside it.
  const gitDir = join(DATA, "status-gitdir");
  rmSync(gitDir, { recursive: true, force: true });
  const g = (args: string[]) => git([`--git-dir=${gitDir}`, `--work-tree=${data}`, ...args], repo);
  git(["init", "-q", "-b", "main", "--bare", gitDir], repo);
  git(["--git-dir", gitDir, "config", "core.bare", "false"], repo);
  g(["add", "-A"]);
  g(["commit", "-q", "-m", "tree"]);
  log("trainyard add of the tree");
  trainyard(["add", "data"], repo);
  trainyard(["status"], repo);
  g(["status"]);
  const runs = quick ? 3 : 5;
  const ours = median(Array.from({ length: runs }, () => trainyard(["status"], repo)));
  const theirs = median(Array.from({ length: runs }, () => g(["status"])));
  writeWatchmanConfig(repo);
  const monitorFigures = monitoredNoOpFigure({
    name: `no-op status with the file-system monitor (watchman), ${count} tracked files`,
    repo,
    runs,
    gitStatus: theirs,
    status: () => monitored(["status"], repo),
    log,
  });
  const middle = Math.floor(count / 2);
  appendFileSync(join(data, `d${String(Math.floor(middle / 1000)).padStart(3, "0")}`, `f${middle}.bin`), "x");
  const changedOurs = median(Array.from({ length: runs }, () => trainyard(["status"], repo)));
  const changedGit = median(Array.from({ length: runs }, () => g(["status"])));
  log(`git status with the change: ${changedGit.toFixed(3)} s`);
  return [
    ...monitorFigures,
    {
      name: `no-op status, ${count} tracked files`,
      value: ours,
      unit: "s",
      baseline: theirs,
      ratio: ours / theirs,
      goal: "≤ 1.5× git status",
      met: ours / theirs <= 1.5,
    },
    {
      name: `status with one of ${count} files changed (baseline: our no-op)`,
      value: changedOurs,
      unit: "s",
      baseline: ours,
      ratio: changedOurs / ours,
      goal: "≤ 1.5× the no-op",
      met: changedOurs / ours <= 1.5,
    },
  ];
}

export async function benchDataVersioning(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<BenchFigure[]> {
  mkdirSync(DATA, { recursive: true });
  try {
    const figures: BenchFigure[] = [];
    const failures: string[] = [];
    for (const part of [bigFile, manySmallFiles, noOpStatus]) {
      // One failing part must not lose the figures of the others.
      try {
        figures.push(...(await part(options.quick, options.log)));
      } catch (error) {
        failures.push(`${part.name}: ${(error as Error).message}`);
        options.log(`FAILED ${part.name}: ${(error as Error).message}`);
      }
      rmSync(DATA, { recursive: true, force: true });
      mkdirSync(DATA, { recursive: true });
    }
    if (failures.length > 0 && figures.length === 0) throw new Error(failures.join("; "));
    return figures;
  } finally {
    rmSync(DATA, { recursive: true, force: true });
  }
}
