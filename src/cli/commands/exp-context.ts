/** Shared by the `exp` subcommands: the project, its git top level and the base commit (HEAD). */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { gitTopLevel, openRepo, type Repo, tryResolveCommit } from "../../io/git/index.js";
import { commandCwd } from "./cli-context.js";

export interface ExpContext {
  repo: Repo;
  gitRoot: string;
  /** HEAD's commit: experiments are kept per base commit. */
  base: string;
}

export async function expContext(cmd: Command): Promise<ExpContext> {
  const cwd = commandCwd(cmd);
  const repo = openRepo(cwd);
  const gitRoot = gitTopLevel(repo.root);
  if (!gitRoot)
    throw new TrainyardError(
      "git",
      `${repo.root} is not inside a git repository; experiments are kept in git`,
    );
  const base = await tryResolveCommit(repo.root, "HEAD");
  if (!base)
    throw new TrainyardError(
      "git",
      "the repository has no commit yet; experiments start from HEAD, so commit first",
    );
  return { repo, gitRoot, base };
}

export function parseWholeNumber(option: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new TrainyardError("usage", `${option} expects a whole number ≥ ${min}, got "${value}"`);
  return n;
}
