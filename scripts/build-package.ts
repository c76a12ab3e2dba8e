/**
 * `npm run build` (and `npm pack`, through `prepack`): what the published package runs — the CLI
 * and API bundles in dist/ and the API's type declarations in dist/types/. Consumers install it
 * with no build step of their own.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { bundleCli } from "./bundle-cli.js";

export async function buildPackage(root: string): Promise<void> {
  await bundleCli(root);
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) throw new Error("tsc -p tsconfig.build.json (API declarations) failed");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildPackage(fileURLToPath(new URL("..", import.meta.url)));
}
