/** Shared by the registry commands: project root, config and the registry state from tags. */
import type { Command } from "commander";
import type { Config } from "../../core/config/schema.js";
import type { RegistryState } from "../../core/registry/registry-state.js";
import { WORKTREE } from "../../io/git/index.js";
import { loadConfigAt, readRegistry } from "../../io/registry/index.js";
import { projectRoot } from "./cli-context.js";

export const DEFAULT_STAGES = ["dev", "staging", "production"];

/**
 * Project root, config and registry state. Reading commands work from the tags alone, so a
 * broken trainyard.yaml only costs them the configured stage order (with a warning).
 */
export async function context(
  cmd: Command,
  readOnly = false,
): Promise<{ root: string; config: Config | undefined; state: RegistryState }> {
  const root = projectRoot(cmd);
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
  return { root, config, state };
}
