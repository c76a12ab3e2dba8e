/** Shared by the commands: the folder they run in (`-C`), where the project is, text columns. */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { findRepoRoot, gitTopLevel } from "../../io/git/index.js";

/** The folder the command runs in: the program's `-C <dir>`, else the process's working folder. */
export function commandCwd(cmd: Command): string {
  return (cmd.optsWithGlobals() as { cwd?: string }).cwd ?? process.cwd();
}

/** The project folder (holding trainyard.yaml) for the command's `-C` directory. */
export function projectRoot(cmd: Command): string {
  const cwd = commandCwd(cmd);
  const root = findRepoRoot(cwd) ?? gitTopLevel(cwd);
  if (!root) throw new TrainyardError("git", `${cwd} is not inside a Trainyard project or git repository`);
  return root;
}

/** Left-aligned text columns for human output. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, c] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  }
  return rows
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
