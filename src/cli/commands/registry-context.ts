/** Shared by the registry commands: project root, config and the registry state from tags. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { Config } from "../../core/config/schema.js";
import { CONFIG_FILE } from "../../core/file-names.js";
import { ROOT_PROJECT, splitQualifiedName, withQualifiedModelNames } from "../../core/projects.js";
import { buildRegistryState, type RegistryState } from "../../core/registry/registry-state.js";
import { gitTopLevel, listTags, WORKTREE } from "../../io/git/index.js";
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

async function readState(root: string): Promise<RegistryState> {
  const state = buildRegistryState(await listTags(root));
  for (const warning of state.warnings) process.stderr.write(`trainyard: warning: ${warning}\n`);
  return state;
}

/**
 * Root and registry state from the tags alone (one for-each-ref, no config): what the reading
 * commands need, without loading the config schema and YAML parser at start-up.
 */
export async function tagContext(cmd: Command): Promise<{ root: string; state: RegistryState }> {
  const root = projectRoot(cmd);
  return { root, state: await readState(root) };
}

/**
 * trainyard.yaml for the reading commands' display (stage column order): loaded on demand, and a
 * broken file only costs them that order (with a warning).
 */
export async function displayConfig(root: string): Promise<Config | undefined> {
  // No file, no order to read: skip loading the schema and the YAML parser.
  if (!existsSync(join(root, CONFIG_FILE))) return undefined;
  const { loadConfigAt } = await import("../../io/registry/index.js");
  return loadConfigAt(root, { label: WORKTREE, rev: WORKTREE }).catch((thrown: unknown) => {
    const why = thrown instanceof Error ? thrown.message : String(thrown);
    process.stderr.write(`trainyard: warning: ignoring trainyard.yaml: ${why}\n`);
    return undefined;
  });
}

/**
 * Project root, config and registry state, for the writing commands (a broken config stops them).
 * A folder-prefixed artifact (`vision:classifier`) works in the project at `vision/` of the
 * repository, whatever folder the command runs in.
 */
export async function context(cmd: Command, artifact?: string): Promise<RegistryContext> {
  const { dir } = artifact ? splitQualifiedName(artifact) : { dir: ROOT_PROJECT };
  const root = dir === ROOT_PROJECT ? projectRoot(cmd) : join(repositoryTop(cmd), dir);
  const { loadConfigAt } = await import("../../io/registry/index.js");
  const [config, state] = await Promise.all([
    loadConfigAt(root, { label: WORKTREE, rev: WORKTREE }),
    readState(root),
  ]);
  return { root, dir, config: config && withQualifiedModelNames({ dir, config }), state };
}

/** The repository's top folder, where project folders are named from. */
export function repositoryTop(cmd: Command): string {
  const root = projectRoot(cmd);
  return gitTopLevel(root) ?? root;
}
