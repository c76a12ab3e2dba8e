/** `trainyard card [name] [--check]`: regenerate model cards, or validate them (exit 1 on errors). */
import type { Command } from "commander";
import { formatCardProblem } from "../../core/card/check-card.js";
import { TrainyardError } from "../../core/errors.js";
import { WORKTREE } from "../../io/git/index.js";
import {
  type CardCheckResult,
  type CardWriteResult,
  checkModelCard,
  loadConfigAt,
  regenerateCard,
} from "../../io/registry/index.js";
import { emit } from "../output.js";
import { projectRoot } from "./cli-context.js";

export function registerCard(program: Command): void {
  program
    .command("card [model]")
    .description("regenerate model cards (all models, or one); --check validates them instead")
    .option(
      "--check",
      "validate against the Hugging Face card spec and the current metrics; exit 1 on errors",
    )
    .option("--json", "machine-readable output")
    .action(async (model: string | undefined, options: { check?: boolean; json?: boolean }, cmd: Command) => {
      const root = projectRoot(cmd);
      const config = await loadConfigAt(root, { label: WORKTREE, rev: WORKTREE });
      if (!config) throw new TrainyardError("config", "no trainyard.yaml here; run `trainyard init` first");
      const models = model ? [model] : Object.keys(config.models);
      if (models.length === 0)
        throw new TrainyardError("usage", "no models in trainyard.yaml (add one under `models:`)");
      if (options.check) {
        const results: CardCheckResult[] = [];
        for (const m of models) results.push(await checkModelCard(root, config, m));
        const errors = results.flatMap((r) => r.problems.filter((p) => p.severity === "error"));
        emit(options.json, { ok: errors.length === 0, cards: results }, () =>
          results
            .map((r) => (r.problems.length ? r.problems.map(formatCardProblem).join("\n") : `${r.path}: ok`))
            .join("\n"),
        );
        if (errors.length) process.exitCode = 1;
        return;
      }
      const results: CardWriteResult[] = [];
      for (const m of models) results.push(await regenerateCard(root, config, m));
      emit(options.json, { ok: true, cards: results }, () =>
        results
          .map((r) =>
            r.adoptedInto
              ? `wrote ${r.path}: it had no manual regions, so its hand-written text was kept in the region "${r.adoptedInto}" (move it into the sections where it belongs)`
              : `${r.changed ? "wrote" : "unchanged"} ${r.path}`,
          )
          .join("\n"),
      );
    });
}
