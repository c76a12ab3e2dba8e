/**
 * Start-up: what every command pays before any work. `trainyard --version` and `status` in an
 * empty initialised repository, against `node -e 0` (Node's own start) in the same run; median of
 * several runs each. The goal for --version is ≤ 0.2 s on its own, shown here as the extra time
 * over bare Node.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchFigure, median } from "./figure.js";
import { timedRun } from "./run-timed.js";

const CLI = fileURLToPath(new URL("../bin/trainyard.js", import.meta.url));

export async function benchStartup(options: { quick: boolean }): Promise<BenchFigure[]> {
  const runs = options.quick ? 5 : 15;
  const repo = mkdtempSync(join(tmpdir(), "ty-bench-startup-"));
  try {
    spawnSync("git", ["init", "--quiet", repo]);
    timedRun(process.execPath, [CLI, "init"], repo, process.env);
    const time = (args: string[]) =>
      median(Array.from({ length: runs }, () => timedRun(process.execPath, args, repo, process.env)));
    const node = time(["-e", "0"]);
    const version = time([CLI, "--version"]);
    const status = time([CLI, "status"]);
    return [
      {
        name: "trainyard --version vs node -e 0",
        value: version,
        unit: "s",
        baseline: node,
        ratio: version / node,
        goal: "≤ 0.2 s",
        met: version <= 0.2,
      },
      {
        name: "no-op status (empty repository) vs node -e 0",
        value: status,
        unit: "s",
        baseline: node,
        ratio: status / node,
        goal: "info",
        met: true,
      },
    ];
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}
