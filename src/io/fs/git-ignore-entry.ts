/** Keep data out of git: add `/<name>` to the `.gitignore` of the folder that holds the pointer. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { errnoCode } from "../../core/errors.js";
import { writeFileAtomic } from "./atomic-write.js";

/** Returns true when the file was changed. */
export async function addGitIgnoreEntry(folder: string, name: string): Promise<boolean> {
  const file = join(folder, ".gitignore");
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
