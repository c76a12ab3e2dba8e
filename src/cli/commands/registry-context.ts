/** Shared by the registry commands: project root, config and the registry state from tags. */
import { join } from "node:path";
import type { Command } from "commander";
import type { Config } from "../../core/config/schema.js";
import { ROOT_PROJECT, splitQualifiedName, withQualifiedModelNames } from "../../core/projects.js";
import type { RegistryState } from "../../core/registry/registry-state.js";
import { gitTopLevel, WORKTREE } from "../../io/git/index.js";
import { loadConfigAt, readRegistry } from "../../io/registry/index.js";
import { projectRoot } from "./cli-context.js";

export const DEFAULT_STAGES = ["dev", "staging", "production"];

export interface RegistryContext {
  /** The folder of the artifact's project (the repository's, for a plain name). */
  root: string;
  /** The project folder relative to the repository ("" for the root). */
  dir: string;
  /** That project's config, its models under their qualified names (`vision:classifier`). */
  config: Config | undefined;
  state: RegistryState;
}

/**
 * Project root, config and registry state. A folder-prefixed artifact (`vision:classifier`)
 * works in the project at `vision/` of the repository, whatever folder the command runs in.
 * Reading commands work from the tags alone, so a broken trainyard.yaml only costs them the
 * configured stage order (with a warning).
 */
export async function context(cmd: Command, readOnly = false, artifact?: string): Promise<RegistryContext> {
  const { dir } = artifact ? splitQualifiedName(artifact) : { dir: ROOT_PROJECT };
  const root = dir === ROOT_PROJECT ? projectRoot(cmd) : join(repositoryTop(cmd), dir);
  const [config, state] = await Promise.all([
    loadConfigAt(root, { label: WORKTREE, rev: WORKTREE }).catch((thrown: unknown) => {
      if (!readOnly) throw thrown;
      const why = thrown instanceof Error ? thrown.message : String(thrown);
      process.stderr.write(`trainyard: warning: ignoring trainyard.yaml: ${why}\n`);
      return undefined;
    }),
    readRegistry(root),
  ]);
  for (const warning of state.warnings) process.stderr.write(`trainyard: warning: ${warning}\n`);
  return { root, dir, config: config && withQualifiedModelNames({ dir, config }), state };
}

/** The repository's top folder, where project folders are named from. */
export function repositoryTop(cmd: Command): string {
  const root = projectRoot(cmd);
  return gitTopLevel(root) ?? root;
}
