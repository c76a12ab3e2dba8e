/**
 * What the registry's writing commands do (register, promote, rollback, unassign, deregister,
 * deprecate): gather facts, plan with the pure planners (which enforce the rules), create the tags.
 * Loaded only when one of them runs, so the reading commands skip the config schema and the rest.
 */
import type { Command } from "commander";
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
import { withQualifiedModelNames } from "../../core/projects.js";
import { assertDeclaredArtifact } from "../../core/registry/declared-artifact.js";
import { findVersion } from "../../core/registry/registry-state.js";
import type { BumpPart } from "../../core/registry/semver.js";
import { currentIdentity, pushTags, resolveCommit } from "../../io/git/index.js";
import {
  applyPlan,
  checkLockAt,
  loadPolicyConfig,
  reachableFromDefault,
  registrationFields,
} from "../../io/registry/index.js";
import { emit } from "../output.js";
import { context, DEFAULT_STAGES } from "./registry-context.js";

export interface WriteOptions {
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

/** Who is acting (git identity) and why, for tag messages of stage and lifecycle events. */
async function who(root: string, options: WriteOptions): Promise<MessageFields> {
  const identity = await currentIdentity(root);
  return {
    ...(identity ? { actor: `${identity.name} <${identity.email}>` } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  };
}

export async function registerVersion(
  model: string,
  options: WriteOptions & { version?: string; bump?: BumpPart; rev: string },
  cmd: Command,
): Promise<void> {
  const { root, config, state } = await context(cmd, model);
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
}

export async function promote(
  model: string,
  stage: string,
  options: WriteOptions & { version?: string },
  cmd: Command,
): Promise<void> {
  const { root, dir, config, state } = await context(cmd, model);
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
}

export async function rollback(model: string, stage: string, options: WriteOptions, cmd: Command) {
  const { root, config, state } = await context(cmd, model);
  assertDeclaredArtifact(config, state, model);
  await finish(
    root,
    planRollback(state, { artifact: model, stage, fields: await who(root, options) }),
    options,
  );
}

export async function unassign(model: string, stage: string, options: WriteOptions, cmd: Command) {
  const { root, config, state } = await context(cmd, model);
  assertDeclaredArtifact(config, state, model);
  await finish(
    root,
    planUnassign(state, { artifact: model, stage, fields: await who(root, options) }),
    options,
  );
}

export async function deregister(model: string, version: string, options: WriteOptions, cmd: Command) {
  const { root, config, state } = await context(cmd, model);
  assertDeclaredArtifact(config, state, model);
  await finish(
    root,
    planDeregister(state, { artifact: model, version, fields: await who(root, options) }),
    options,
  );
}

export async function deprecate(model: string, options: WriteOptions, cmd: Command) {
  const { root, config, state } = await context(cmd, model);
  assertDeclaredArtifact(config, state, model);
  const commit = await resolveCommit(root, "HEAD");
  await finish(
    root,
    planDeprecate(state, { artifact: model, commit, fields: await who(root, options) }),
    options,
  );
}
