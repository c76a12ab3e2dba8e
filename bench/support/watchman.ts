/**
 * The file-system monitor figures: the same no-op status with `TRAINYARD_FSMONITOR=watchman`, when
 * watchman is installed (Debian's `watchman` package); otherwise those figures are left out.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

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
