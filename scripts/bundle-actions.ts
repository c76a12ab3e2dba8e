/**
 * One esbuild bundle per action: `actions/<name>/main.ts` → `actions/<name>/dist/index.js`, the
 * file `runs.main` in each `action.yml` names. The bundles are committed and CI rebuilds and diffs
 * them, so the build must be byte-for-byte reproducible: no timestamps, no absolute paths, no
 * source maps, a fixed esbuild version (package-lock) and a fixed entry order.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type BuildOptions, build } from "esbuild";
import { emitHashWorkers } from "./hash-worker-bundle.js";

export const ACTION_NAMES = ["run", "report", "promote", "monitor", "deploy"] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

// ESM bundles may still contain CommonJS dependencies that call `require`; give them one.
const REQUIRE_SHIM = [
  'import { createRequire as __trainyardCreateRequire } from "node:module";',
  "const require = __trainyardCreateRequire(import.meta.url);",
].join("\n");

const COMMON = {
  bundle: true,
  platform: "node",
  target: "node24",
  format: "esm",
  banner: { js: REQUIRE_SHIM },
  sourcemap: false,
  legalComments: "eof",
  charset: "utf8",
  minify: false,
  // Paths in the bundle's comments stay `node_modules/…` even when node_modules is a symlink.
  preserveSymlinks: true,
  logLevel: "warning",
} as const satisfies BuildOptions;

/** Builds every action bundle under `root`; returns the written bundle paths (relative). */
export async function bundleActions(root: string): Promise<string[]> {
  const written: string[] = [];
  for (const name of ACTION_NAMES) {
    const outDir = join("actions", name, "dist");
    await mkdir(join(root, outDir), { recursive: true });
    const { metafile } = await build({
      ...COMMON,
      absWorkingDir: root,
      entryPoints: [join("actions", name, "main.ts")],
      outfile: join(outDir, "index.js"),
      metafile: true,
    });
    // The hashing pool starts `./hash-worker.js` next to the running bundle: emit it where used.
    written.push(...(await emitHashWorkers(root, metafile, COMMON)));
    // GitHub runs `node dist/index.js`; this makes Node read it as ESM even if the action is
    // copied without the repository's root package.json.
    await writeFile(join(root, outDir, "package.json"), '{ "type": "module" }\n');
    written.push(join(outDir, "index.js"));
  }
  return written;
}

/**
 * The root `action.yml` is the `run` action, so `uses: owner/trainyard@v1` works. It is generated
 * from `actions/run/action.yml` so the two can never disagree about inputs or outputs.
 */
export async function writeRootActionYml(root: string): Promise<void> {
  const source = await readFile(join(root, "actions", "run", "action.yml"), "utf8");
  const main = "  main: dist/index.js\n";
  if (!source.includes(main)) throw new Error(`actions/run/action.yml must contain "${main.trim()}"`);
  const header = "# Generated from actions/run/action.yml by `npm run generate`; edit that file instead.\n";
  await writeFile(
    join(root, "action.yml"),
    header + source.replace(main, "  main: actions/run/dist/index.js\n"),
  );
}
