/** Output helpers: `--json` for scripts, short readable lines for people. */

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Emit `data` as JSON when asked, otherwise print the human rendering. */
export function emit<T>(json: boolean | undefined, data: T, human: (data: T) => string): void {
  if (json) writeJson(data);
  else {
    const text = human(data);
    if (text) writeLine(text);
  }
}

export { formatBytes } from "../core/format-bytes.js";
