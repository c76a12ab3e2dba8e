/** `trainyard checkout [path…]`: make data match its pointers, verified, never losing unsaved changes. */
import type { Command } from "commander";
import { checkoutData } from "../../io/data/index.js";
import { restoreLockOutputs } from "../../io/pipeline/index.js";
import { checkoutRegistryRef } from "../../io/registry/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit } from "../output.js";
import { createProgress } from "../progress.js";

export function registerCheckout(program: Command): void {
  program
    .command("checkout")
    .description("restore data from the local store to match its pointers")
    .argument("[targets...]", "data paths, pointer files or folders (default: everything)")
    .option("-f, --force", "overwrite local changes that are not saved in the store")
    .option("--json", "print the result as JSON")
    .action(async (targets: string[], options: { json?: boolean; force?: boolean }, cmd: Command) => {
      const cwd = (cmd.optsWithGlobals() as { cwd?: string }).cwd ?? process.cwd();
      const repo = openRepo(cwd);
      // `checkout iris@v1.3.0` / `iris#production`: that commit, its data and its stage outs.
      const version =
        targets.length === 1 ? await checkoutRegistryRef(repo.root, targets[0] as string) : undefined;
      const results = await checkoutData(repo, {
        cwd,
        targets: version ? [] : targets,
        force: options.force ?? false,
        progress: createProgress({ json: options.json }),
      });
      const outs = version ? await restoreLockOutputs(repo) : [];
      emit(options.json, { ok: true, results, ...(version ? { version, outs } : {}) }, ({ results: rs }) => {
        if (version)
          return `at ${version.artifact} ${version.version} (${version.commit.slice(0, 12)}); restored ${outs.length} stage outs, ${rs.length} pointers`;
        if (rs.length === 0) return "No pointers to check out.";
        return rs
          .map((r) =>
            r.action === "unchanged"
              ? `up to date  ${r.path}`
              : `restored    ${r.path} (${r.written} written${r.removed ? `, ${r.removed} removed` : ""})`,
          )
          .join("\n");
      });
    });
}
