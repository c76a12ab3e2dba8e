/** Process helpers every bench module shares: time one command, and build the CLI once per run. */
import { spawnSync } from "node:child_process";
import { bundleCli } from "../scripts/bundle-cli.js";

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

/** The benches time `bin/trainyard.js`, which runs the bundle in dist/: build it from the current sources. */
export async function compileCli(root: string): Promise<void> {
  await bundleCli(root);
}
