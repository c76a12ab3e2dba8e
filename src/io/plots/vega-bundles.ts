/**
 * The browser bundles of Vega, Vega-Lite and vega-embed, read from the installed packages so the
 * HTML page can inline them and open offline. Each package exports only its module entry, so the
 * bundle is found next to the package.json the entry resolves to.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { HtmlScripts } from "../../core/plots/render-plots-html.js";

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, "package.json")) || path.basename(dir) !== name) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${name} package folder`);
    dir = parent;
  }
  return dir;
}

export async function readVegaBundles(): Promise<HtmlScripts> {
  const read = (name: string, file: string) => readFile(path.join(packageDir(name), "build", file), "utf8");
  const [vega, vegaLite, vegaEmbed] = await Promise.all([
    read("vega", "vega.min.js"),
    read("vega-lite", "vega-lite.min.js"),
    read("vega-embed", "vega-embed.min.js"),
  ]);
  return { vega, vegaLite, vegaEmbed };
}
