/**
 * The file-system monitor figures: the same no-op status with `TRAINYARD_FSMONITOR=watchman`, when
 * watchman is installed (Debian's `watchman` package); otherwise those figures are left out.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BenchFigure, median } from "../figure.js";

export function hasWatchman(): boolean {
  return spawnSync("watchman", ["version"], { stdio: "ignore" }).status === 0;
}

export function withMonitor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, TRAINYARD_FSMONITOR: "watchman" };
}

/** Stop watching a bench folder before it is deleted. */
export function unwatch(dir: string): void {
  spawnSync("watchman", ["watch-del", dir], { stdio: "ignore" });
}

/** What the docs advise before turning the monitor on: watchman leaves `.trainyard` (the store) alone. */
export function writeWatchmanConfig(repo: string): void {
  writeFileSync(join(repo, ".watchmanconfig"), '{"ignore_dirs": [".trainyard"]}\n');
}

/**
 * A no-op status with the monitor against `git status` (seconds, measured in the same run): the
 * first run watches the tree and walks it, then the median of `runs`. No figure without watchman.
 */
export function monitoredNoOpFigure(options: {
  name: string;
  repo: string;
  runs: number;
  gitStatus: number;
  status: () => number;
  log: (line: string) => void;
  /** Only reported (a figure without a goal of its own). */
  info?: boolean;
}): BenchFigure[] {
  if (!hasWatchman()) {
    options.log("watchman is not installed: no file-system monitor figure");
    return [];
  }
  options.status();
  const ours = median(Array.from({ length: options.runs }, options.status));
  if (!options.info) unwatch(options.repo);
  return [
    {
      name: options.name,
      value: ours,
      unit: "s",
      baseline: options.gitStatus,
      ratio: ours / options.gitStatus,
      goal: options.info ? "info" : "≤ 1.5× git status",
      met: options.info ? true : ours / options.gitStatus <= 1.5,
    },
  ];
}
