/**
 * `trainyard registry …`: the model registry in annotated git tags (GTO's grammar). Reading is
 * one `git for-each-ref`; every write goes through the pure planners, which enforce the rules.
 */
import { type Command, Option } from "commander";
import {
  planDeprecate,
  planDeregister,
  planPromote,
  planRegister,
  planRollback,
  planUnassign,
  type MessageFields,
  type RegistryPlan,
  type RegistryPolicy,
  registryPolicyOf,
} from "../../core/registry/index.js";
import { assertDeclaredArtifact } from "../../core/registry/declared-artifact.js";
import { withQualifiedModelNames } from "../../core/projects.js";
import { findVersion } from "../../core/registry/registry-state.js";
import { BUMP_PARTS, type BumpPart } from "../../core/registry/semver.js";
import { currentIdentity, pushTags, resolveCommit } from "../../io/git/index.js";
import {
  applyPlan,
  checkLockAt,
  loadPolicyConfig,
  reachableFromDefault,
  registrationFields,
} from "../../io/registry/index.js";
import { emit } from "../output.js";
import { registerRegistryReads } from "./registry-read.js";
import { context, DEFAULT_STAGES } from "./registry-context.js";

interface WriteOptions {
  reason?: string;
  force?: boolean;
  json?: boolean;
  /** Remote to push the new tags to (`--push` alone means origin). */
  push?: string | boolean;
}

/** Stage order and protected stages; in GitHub Actions read from the default branch (policy-config.ts). */
async function policyOf(root: string, dir: string, model: string): Promise<RegistryPolicy> {
  const config = await loadPolicyConfig(root);
  const named = config && withQualifiedModelNames({ dir, config });
  return registryPolicyOf(named?.models[model] ?? { stages: DEFAULT_STAGES });
}

async function finish(root: string, plan: RegistryPlan, options: WriteOptions): Promise<void> {
  const json = options.json;
  const tags = await applyPlan(root, plan);
  if (options.push) await pushTags(root, options.push === true ? "origin" : options.push, tags);
  emit(
    json,
    {
      ok: true,
      artifact: plan.artifact,
      version: plan.version,
      stage: plan.stage,
      tags,
      overridden: plan.overridden,
    },
    () =>
      [
        ...tags.map((t) => `created tag ${t}`),
        ...plan.overridden.map((o) => `warning: forced past: ${o}`),
      ].join("\n"),
  );
}

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
    .action(
      async (
        model: string,
        options: WriteOptions & { version?: string; bump?: BumpPart; rev: string },
        cmd: Command,
      ) => {
        const { root, config, state } = await context(cmd, false, model);
        assertDeclaredArtifact(config, state, model);
        const commit = await resolveCommit(root, options.rev);
        const lock = config ? await checkLockAt(root, config, commit, model) : { clean: true };
        const fields = await registrationFields(root, config, model, commit, {
          ...(options.reason ? { reason: options.reason } : {}),
        });
        const plan = planRegister(state, {
          artifact: model,
          commit,
          ...(options.version ? { version: options.version } : {}),
          bump: options.bump ?? config?.models[model]?.bump ?? "minor",
          lockClean: lock.clean,
          ...(lock.problem ? { lockProblem: lock.problem } : {}),
          force: options.force === true,
          fields,
        });
        await finish(root, plan, options);
      },
    );

  registry
    .command("promote <model> <stage>")
    .description(
      "assign a stage to a version (default the latest); stages go in order, production only from the default branch",
    )
    .option("--version <vX.Y.Z>", "version to promote (default: latest)")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--force", "admin override of stage order and branch rules (recorded in the tag)")
    .option("--json", "machine-readable output")
    .action(
      async (model: string, stage: string, options: WriteOptions & { version?: string }, cmd: Command) => {
        const { root, dir, config, state } = await context(cmd, false, model);
        assertDeclaredArtifact(config, state, model);
        const target = findVersion(state, {
          artifact: model,
          ...(options.version ? { version: options.version } : { latest: true }),
        });
        const reach = target ? await reachableFromDefault(root, target.commit) : undefined;
        const plan = planPromote(state, {
          artifact: model,
          stage,
          ...(options.version ? { version: options.version } : {}),
          policy: await policyOf(root, dir, model),
          ...(reach ? { reachableFromDefault: reach.reachable } : {}),
          force: options.force === true,
          fields: await who(root, options),
        });
        await finish(root, plan, options);
      },
    );

  registry
    .command("rollback <model> <stage>")
    .description("give a stage back to the version that held it before the current one")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model: string, stage: string, options: WriteOptions, cmd: Command) => {
      const { root, config, state } = await context(cmd, false, model);
      assertDeclaredArtifact(config, state, model);
      await finish(
        root,
        planRollback(state, { artifact: model, stage, fields: await who(root, options) }),
        options,
      );
    });

  registry
    .command("unassign <model> <stage>")
    .description("take a stage away from its current version")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model: string, stage: string, options: WriteOptions, cmd: Command) => {
      const { root, config, state } = await context(cmd, false, model);
      assertDeclaredArtifact(config, state, model);
      await finish(
        root,
        planUnassign(state, { artifact: model, stage, fields: await who(root, options) }),
        options,
      );
    });

  registry
    .command("deregister <model> <version>")
    .description("withdraw one version (tag name@vX.Y.Z!)")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model: string, version: string, options: WriteOptions, cmd: Command) => {
      const { root, config, state } = await context(cmd, false, model);
      assertDeclaredArtifact(config, state, model);
      await finish(
        root,
        planDeregister(state, { artifact: model, version, fields: await who(root, options) }),
        options,
      );
    });

  registry
    .command("deprecate <model>")
    .description("retire the whole model (tag name@deprecated)")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model: string, options: WriteOptions, cmd: Command) => {
      const { root, config, state } = await context(cmd, false, model);
      assertDeclaredArtifact(config, state, model);
      const commit = await resolveCommit(root, "HEAD");
      await finish(
        root,
        planDeprecate(state, { artifact: model, commit, fields: await who(root, options) }),
        options,
      );
    });

  registerRegistryReads(registry);
}

/** Who is acting (git identity) and why, for tag messages of stage and lifecycle events. */
async function who(root: string, options: WriteOptions): Promise<MessageFields> {
  const identity = await currentIdentity(root);
  return {
    ...(identity ? { actor: `${identity.name} <${identity.email}>` } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  };
}
