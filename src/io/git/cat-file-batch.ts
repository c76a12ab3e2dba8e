/**
 * Reading many git objects in one process: `git cat-file --batch` takes object names on stdin and
 * answers each with `<oid> <type> <size>\n<content>\n` (or `<name> missing`). simple-git has no
 * stdin, so this one call spawns git itself. Thousands of experiments cost one process, not thousands.
 */
import { spawn } from "node:child_process";
import { TrainyardError } from "../../core/errors.js";

/** Contents (utf8) of each named object (`<sha>`, `<sha>:path/in/tree`), undefined when missing. */
export function catFileBatch(cwd: string, names: readonly string[]): Promise<(string | undefined)[]> {
  if (names.length === 0) return Promise.resolve([]);
  for (const n of names) {
    if (/[\n\r]/.test(n))
      throw new TrainyardError("usage", `object name ${JSON.stringify(n)} holds a line break`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new TrainyardError("git", `git cat-file --batch failed: ${stderr.trim()}`));
        return;
      }
      try {
        resolve(parseBatch(Buffer.concat(chunks), names.length));
      } catch (thrown) {
        reject(thrown);
      }
    });
    child.stdin.end(`${names.join("\n")}\n`);
  });
}

function parseBatch(out: Buffer, count: number): (string | undefined)[] {
  const results: (string | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new TrainyardError("git", "git cat-file --batch: truncated answer");
    const header = out.toString("utf8", at, eol);
    at = eol + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      results.push(undefined);
      continue;
    }
    const size = Number(header.split(" ")[2]);
    if (!Number.isInteger(size))
      throw new TrainyardError("git", `git cat-file --batch: unexpected header ${header}`);
    results.push(out.toString("utf8", at, at + size));
    at += size + 1;
  }
  return results;
}
