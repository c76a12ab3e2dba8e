/**
 * The CLI as the package ships it: `src/cli/main.ts` → `dist/cli.js` and the typed API
 * `src/api.ts` → `dist/api.js`, bundled by esbuild (ESM, code splitting). Dependencies stay
 * external (npm installs them next to the package); our own modules are bundled so start-up reads
 * a few files instead of a few hundred. Heavy parts (AWS SDK, Probot, the bot) are reached through
 * `import()` and land in their own chunks, loaded only by the commands that use them.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { emitHashWorkers } from "./hash-worker-bundle.js";

export const CLI_OUT_DIR = "dist";

/** Packages left in node_modules (reached through `import()` only). */
export const LAZY_PACKAGES = [
  "@aws-sdk/*",
  "probot",
  "octokit-auth-probot",
  "pino",
  "@octokit/*",
  "@actions/*",
] as const;

// Bundled CommonJS dependencies (simple-git) call `require` for Node built-ins; give them one.
const REQUIRE_SHIM = [
  'import { createRequire as __trainyardCreateRequire } from "node:module";',
  "const require = __trainyardCreateRequire(import.meta.url);",
].join("\n");

/** How every file in dist/ is emitted (the CLI, its chunks and the hashing worker). */
const OUTPUT = {
  platform: "node",
  target: "node20",
  format: "esm",
  banner: { js: REQUIRE_SHIM },
  sourcemap: false,
  legalComments: "none",
  charset: "utf8",
  minify: true,
  keepNames: true,
  logLevel: "warning",
} as const satisfies BuildOptions;

/** How the CLI and API bundles are built from `root` (shared by the build and its checks). */
export function cliBuildOptions(root: string) {
  return {
    ...OUTPUT,
    absWorkingDir: root,
    entryPoints: { cli: "src/cli/main.ts", api: "src/api.ts" },
    outdir: CLI_OUT_DIR,
    bundle: true,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    // Loaded on demand from node_modules: the AWS SDK and Probot's stack are large and only a few
    // commands need them; bundling them would not make those commands faster.
    external: [...LAZY_PACKAGES],
    metafile: true,
  } as const satisfies BuildOptions;
}

/** Builds dist/ under `root`; returns esbuild's metafile (what went where, for checks and benches). */
export async function bundleCli(root: string): Promise<Metafile> {
  await rm(join(root, CLI_OUT_DIR), { recursive: true, force: true });
  const result = await build(cliBuildOptions(root));
  // `add`, `status` and `run` hash through a worker pool that loads `./hash-worker.js` beside the
  // chunk holding the pool; without it the installed CLI fails on its first parallel hash.
  await emitHashWorkers(root, result.metafile, OUTPUT);
  return result.metafile;
}

/**
 * Everything loaded before the code of `entryPoint` (a source path such as
 * `src/cli/commands/status.ts`) runs: the output files reached through static imports, and the
 * source files and external packages they hold. Dynamic `import()`s are not followed.
 */
export function staticClosure(
  metafile: Metafile,
  entryPoint: string,
): { outputs: string[]; inputs: string[]; externals: string[] } {
  const outputs = metafile.outputs;
  const start = Object.keys(outputs).find((o) => outputs[o]!.entryPoint === entryPoint);
  if (!start) throw new Error(`${entryPoint} is not an entry point of the bundle`);
  const seen = new Set<string>();
  const externals = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const i of outputs[file]!.imports) {
      if (i.kind !== "import-statement") continue;
      if (i.external) externals.add(i.path);
      else stack.push(i.path);
    }
  }
  const inputs = [...seen].flatMap((o) => Object.keys(outputs[o]!.inputs));
  return { outputs: [...seen], inputs, externals: [...externals] };
}
