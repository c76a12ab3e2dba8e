/**
 * `trainyard registry …`: the model registry in annotated git tags (GTO's grammar). Reading is
 * one `git for-each-ref`; every write goes through the pure planners, which enforce the rules.
 * This module only declares the commands: the writing ones load ./registry-write.ts when they
 * run, so `registry show` starts without the config schema, the planners or the card renderer.
 */
import { type Command, Option } from "commander";
import { BUMP_PARTS } from "../../core/registry/semver.js";
import { registerRegistryReads } from "./registry-read.js";

const writes = () => import("./registry-write.js");

export function registerRegistry(program: Command): void {
  const registry = program
    .command("registry")
    .description("model and dataset registry in git tags (GTO-compatible)");

  registry
    .command("register <model>")
    .description("register a version on a commit (default HEAD) whose lock is clean")
    .option("--version <vX.Y.Z>", "explicit version")
    .addOption(
      new Option("--bump <part>", "the part to bump (default: the model's bump rule, else minor)").choices(
        BUMP_PARTS,
      ),
    )
    .option("--rev <rev>", "commit to register (default HEAD)", "HEAD")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--force", "register even though the lock is not clean (recorded in the tag)")
    .option("--json", "machine-readable output")
    .action(async (model, options, cmd: Command) => (await writes()).registerVersion(model, options, cmd));

  registry
    .command("promote <model> <stage>")
    .description(
      "assign a stage to a version (default the latest); stages go in order, production only from the default branch",
    )
    .option("--version <vX.Y.Z>", "version to promote (default: latest)")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option(
      "--deploy",
      "also create the GitHub deployment the stage's deploy hook asks for (needs GITHUB_TOKEN; pushes the tags)",
    )
    .option("--force", "admin override of stage order and branch rules (recorded in the tag)")
    .option("--json", "machine-readable output")
    .action(async (model, stage, options, cmd: Command) =>
      (await writes()).promote(model, stage, options, cmd),
    );

  registry
    .command("rollback <model> <stage>")
    .description("give a stage back to the version that held it before the current one")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option(
      "--deploy",
      "also create the GitHub deployment the stage's deploy hook asks for (needs GITHUB_TOKEN; pushes the tags)",
    )
    .option("--json", "machine-readable output")
    .action(async (model, stage, options, cmd: Command) =>
      (await writes()).rollback(model, stage, options, cmd),
    );

  registry
    .command("unassign <model> <stage>")
    .description("take a stage away from its current version")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model, stage, options, cmd: Command) =>
      (await writes()).unassign(model, stage, options, cmd),
    );

  registry
    .command("deregister <model> <version>")
    .description("withdraw one version (tag name@vX.Y.Z!)")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model, version, options, cmd: Command) =>
      (await writes()).deregister(model, version, options, cmd),
    );

  registry
    .command("deprecate <model>")
    .description("retire the whole model (tag name@deprecated)")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model, options, cmd: Command) => (await writes()).deprecate(model, options, cmd));

  registerRegistryReads(registry);
}
