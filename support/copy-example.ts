/**
 * Copy an example project (examples/<name>) into a directory — usually a temp git repo — so it
 * runs there exactly as committed. The example's scripts import packages by bare name, so
 * `<dest>/node_modules` becomes a symlink to this checkout's node_modules (where those packages
 * are devDependencies) and is git-ignored, instead of an `npm install` per test.
 */
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

export function exampleDir(name: string): string {
  return join(PROJECT_ROOT, "examples", name);
}

/** Copies examples/<name> into `destDir` (created if needed) and returns `destDir`. */
export function copyExample(name: string, destDir: string): string {
  const source = exampleDir(name);
  if (!existsSync(join(source, "trainyard.yaml"))) {
    throw new Error(`no example "${name}" at ${source} (expected a trainyard.yaml)`);
  }
  cpSync(source, destDir, {
    recursive: true,
    // A developer may have installed packages or run the scripts in place; copy only the sources.
    filter: (path) => basename(path) !== "node_modules",
  });
  const link = join(destDir, "node_modules");
  if (!existsSync(link)) symlinkSync(join(PROJECT_ROOT, "node_modules"), link, "dir");
  ensureIgnored(join(destDir, ".gitignore"), "/node_modules");
  return destDir;
}

function ensureIgnored(gitignore: string, entry: string): void {
  const text = existsSync(gitignore) ? readFileSync(gitignore, "utf8") : "";
  if (text.split(/\r?\n/).includes(entry)) return;
  const prefix = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  writeFileSync(gitignore, `${prefix}${entry}\n`);
}
