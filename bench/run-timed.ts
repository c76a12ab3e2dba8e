/** Process helpers every bench module shares: time one command, and build the CLI once per run. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** Wall time of one process run, in seconds; throws (with its stderr) when it fails. */
export function timedRun(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): number {
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    env,
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return seconds;
}

/** The benches time `bin/trainyard.js`, which runs build/: compile it from the current sources. */
export function compileCli(root: string): void {
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
  );
  if (result.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed: ${result.stderr}`);
}
