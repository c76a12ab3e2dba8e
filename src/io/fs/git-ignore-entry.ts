/** Keep data out of git: add `/<name>` to the `.gitignore` of the folder that holds the pointer. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { errnoCode, TrainyardError } from "../../core/errors.js";
import { writeFileAtomic } from "./atomic-write.js";
import type { WriteGuard } from "./write-guard.js";

/**
 * Returns true when the file was changed. Callers hold the store lock, so two commands never
 * read-modify-write the same `.gitignore` at once (an entry lost would let data be committed).
 */
export async function addGitIgnoreEntry(guard: WriteGuard, folder: string, name: string): Promise<boolean> {
  // A .gitignore pattern cannot hold a line break: written as is, the entry would split in two.
  if (/[\r\n]/.test(name))
    throw new TrainyardError(
      "path",
      `${JSON.stringify(name)} holds a line break: it cannot be ignored by .gitignore`,
    );
  const file = guard.check(join(folder, ".gitignore"));
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch (thrown) {
    if (errnoCode(thrown) !== "ENOENT") throw thrown;
  }
  const entry = `/${escapeGitIgnore(name)}`;
  const lines = text.split(/\r?\n/);
  if (lines.includes(entry)) return false;
  const prefix = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  await writeFileAtomic(file, `${prefix}${entry}\n`);
  return true;
}

/** Escape the characters .gitignore treats specially so the name matches literally. */
function escapeGitIgnore(name: string): string {
  return name.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
}
