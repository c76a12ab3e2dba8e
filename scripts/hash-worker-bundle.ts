/**
 * The hashing pool (src/io/hashing/hash-files-parallel.ts) starts its worker as `./hash-worker.js`
 * relative to the file its own code was bundled into. Every bundle that contains the pool (an
 * action's dist/index.js, the package CLI's chunk) therefore gets the worker built beside it; the
 * action bundles and the package build both call this, so neither can ship the pool without it.
 */
import { dirname, join } from "node:path";
import { type BuildOptions, build, type Metafile } from "esbuild";

const HASH_POOL = "src/io/hashing/hash-files-parallel.ts";
const HASH_WORKER = "src/io/hashing/hash-worker.ts";
export const HASH_WORKER_FILE = "hash-worker.js";

/**
 * Builds `hash-worker.js` into each output folder of `metafile` whose files contain the pool;
 * returns the written paths relative to `root`, sorted. `options` are the bundle's own (target,
 * minify, banner), so the worker runs wherever that bundle runs.
 */
export async function emitHashWorkers(
  root: string,
  metafile: Metafile,
  options: BuildOptions,
): Promise<string[]> {
  const folders = new Set(
    Object.entries(metafile.outputs)
      .filter(([, output]) => HASH_POOL in output.inputs)
      .map(([file]) => dirname(file)),
  );
  const written: string[] = [];
  for (const folder of [...folders].sort()) {
    const outfile = join(folder, HASH_WORKER_FILE);
    await build({
      ...options,
      absWorkingDir: root,
      entryPoints: [HASH_WORKER],
      outfile,
      bundle: true,
      splitting: false,
      metafile: false,
    });
    written.push(outfile);
  }
  return written;
}
