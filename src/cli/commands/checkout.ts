/**
 * `trainyard checkout [path…]`: make data match its pointers and put back the stage outs recorded
 * in trainyard.lock, verified, never losing unsaved changes; `checkout iris@v1.3.0` moves to a
 * registered version as one transaction.
 */
import { relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import { checkoutData } from "../../io/data/index.js";
import { readLockFile, restoreLockOutputs } from "../../io/pipeline/index.js";
import { checkoutVersion } from "../../io/registry/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit } from "../output.js";
import { createProgress } from "../progress.js";
import { commandCwd } from "./cli-context.js";

export function registerCheckout(program: Command): void {
  program
    .command("checkout")
    .description("restore data and stage outs from the local store to match pointers and trainyard.lock")
    .argument("[targets...]", "data paths, pointer files, stage outs or folders (default: everything)")
    .option("-f, --force", "overwrite local changes that are not saved in the store")
    .option("--json", "print the result as JSON")
    .action(async (targets: string[], options: { json?: boolean; force?: boolean }, cmd: Command) => {
      const cwd = commandCwd(cmd);
      const repo = openRepo(cwd);
      const progress = createProgress({ json: options.json });
      // `checkout iris@v1.3.0` / `iris#production`: that commit, its data and its stage outs.
      const version =
        targets.length === 1 ? await checkoutVersion(repo, targets[0] as string, { progress }) : undefined;
      if (version) {
        emit(options.json, { ok: true, results: [], version: version.version, outs: version.outs }, () => {
          const v = version.version;
          return `at ${v.artifact} ${v.version} (${v.commit.slice(0, 12)}); restored ${version.outs.length} stage outs, ${version.pointers} pointers`;
        });
        return;
      }
      const lockOuts = Object.values((await readLockFile(repo.root)).stages).flatMap((s) =>
        s.outs.map((o) => o.path),
      );
      const asRepoPath = (t: string) => relative(repo.root, resolve(cwd, t)).split(sep).join("/");
      const outTargets = targets.filter((t) => lockOuts.includes(asRepoPath(t)));
      const pointerTargets = targets.filter((t) => !outTargets.includes(t));
      const results =
        targets.length === 0 || pointerTargets.length > 0
          ? await checkoutData(repo, {
              cwd,
              targets: pointerTargets,
              force: options.force ?? false,
              progress,
            })
          : [];
      const outs =
        targets.length === 0 || outTargets.length > 0
          ? await restoreLockOutputs(repo, {
              ...(outTargets.length ? { paths: new Set(outTargets.map(asRepoPath)) } : {}),
              onlyMissing: !options.force,
            })
          : [];
      emit(options.json, { ok: true, results, outs }, ({ results: rs }) => {
        const lines = rs.map((r) =>
          r.action === "unchanged"
            ? `up to date  ${r.path}`
            : `restored    ${r.path} (${r.written} written${r.removed ? `, ${r.removed} removed` : ""})`,
        );
        for (const out of outs) lines.push(`restored    ${out} (stage out)`);
        return lines.length ? lines.join("\n") : "No pointers or stage outs to check out.";
      });
    });
}
