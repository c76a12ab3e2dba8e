/**
 * The `.env` file: read with Node's own parser (`util.parseEnv`: quotes, escapes, multi-line
 * values), and written by the manifest flow with owner-only permissions, since it holds the app's
 * private key and webhook secret.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseEnv } from "node:util";

/** Variables from `path` (none when the file does not exist). */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw thrown;
  }
  return parseEnv(text) as Record<string, string>;
}

/** The process environment over the file: what the platform sets wins over a stale `.env`. */
export function mergeEnv(
  fromFile: Record<string, string>,
  fromProcess: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return { ...fromFile, ...fromProcess };
}

/**
 * Sets `values` in the `.env` at `path`, keeping its other lines, replacing earlier definitions of
 * the same names. Written to a temporary file created with mode 600 and renamed over, so the
 * secrets are never readable by others, not even for a moment, and a crash leaves the old file.
 */
export function updateEnvFile(path: string, values: Record<string, string>): void {
  let existing = "";
  try {
    existing = readFileSync(path, "utf8");
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== "ENOENT") throw thrown;
  }
  const names = new Set(Object.keys(values));
  const kept = existing
    .split("\n")
    .filter((line) => {
      const name = /^\s*(?:export\s+)?([\w.-]+)\s*=/.exec(line)?.[1];
      return !(name && names.has(name));
    })
    .join("\n")
    .trimEnd();
  const added = Object.entries(values).map(([name, value]) => `${name}=${quoteEnvValue(value)}`);
  const text = `${kept ? `${kept}\n` : ""}${added.join("\n")}\n`;
  const temporary = join(dirname(path), `.env.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temporary, "wx", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The umask cannot widen 600, but a chmod states the intent even on odd file systems.
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** Double-quoted with escapes `util.parseEnv` reads back: newlines as \n, quotes and backslashes kept. */
export function quoteEnvValue(value: string): string {
  if (/^[\w@%+=:,./-]*$/.test(value)) return value;
  if (value.includes('"') || value.includes("\\")) {
    throw new Error("a value with quotes or backslashes cannot be stored in .env safely");
  }
  return `"${value.replace(/\r?\n/g, "\\n")}"`;
}
