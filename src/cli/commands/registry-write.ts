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
import type { StageAssignment } from "../../core/promotion/plan-deployment.js";
import { findVersion, type RegistryState } from "../../core/registry/registry-state.js";
import type { StartedDeployment } from "../../github/model-deployments.js";
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
  /** Create the GitHub deployment the stage's deploy hook asks for (promote and rollback). */
  deploy?: boolean;
}

type Deploy = (plan: RegistryPlan) => Promise<StartedDeployment | undefined>;

/** Stage order and protected stages; in GitHub Actions read from the default branch (policy-config.ts). */
async function policyOf(root: string, dir: string, model: string): Promise<RegistryPolicy> {
  const config = await loadPolicyConfig(root);
  const named = config && withQualifiedModelNames({ dir, config });
  return registryPolicyOf(named?.models[model] ?? { stages: DEFAULT_STAGES });
}

async function finish(
  root: string,
  plan: RegistryPlan,
  options: WriteOptions,
  deploy?: Deploy,
): Promise<void> {
  const json = options.json;
  const tags = await applyPlan(root, plan);
  // A deployment is checked against the tags on GitHub, so --deploy pushes them (to origin by default).
  const push = options.push ?? (deploy ? true : undefined);
  if (push) await pushTags(root, push === true ? "origin" : push, tags);
  const deployment = deploy && tags.length > 0 ? await deploy(plan) : undefined;
  emit(
    json,
    {
      ok: true,
      artifact: plan.artifact,
      version: plan.version,
      stage: plan.stage,
      tags,
      overridden: plan.overridden,
      ...(deploy ? { deployment: deployment ?? null } : {}),
    },
    () =>
      [
        ...tags.map((t) => `created tag ${t}`),
        ...plan.overridden.map((o) => `warning: forced past: ${o}`),
        ...(deploy ? [deploymentLine(plan, deployment)] : []),
      ].join("\n"),
  );
}

function deploymentLine(plan: RegistryPlan, started: StartedDeployment | undefined): string {
  return started
    ? `created deployment ${started.id} of ${plan.artifact} ${started.version} to environment ${started.environment} (queued for the deploy workflow)`
    : `${plan.artifact} has no deploy hook for ${plan.stage ?? "this stage"}: nothing to deploy`;
}

/** The deploy step for `--deploy`: the target is checked now, before any tag is written. */
async function deployStep(
  context: { root: string; dir: string; state: RegistryState },
  options: WriteOptions,
  reason: string,
): Promise<Deploy | undefined> {
  if (!options.deploy) return undefined;
  const { deployTarget, deployAssignment } = await import("./registry-deploy.js");
  const target = await deployTarget(context.root);
  const why = options.reason ? `${reason}: ${options.reason}` : reason;
  return async (plan) => {
    const wanted = assignmentOf(context.state, plan, why);
    return wanted ? deployAssignment(context.root, context.dir, target, wanted) : undefined;
  };
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
  const deploy = await deployStep({ root, dir, state }, options, "promoted with the CLI");
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
  await finish(root, plan, options, deploy);
}

export async function rollback(model: string, stage: string, options: WriteOptions, cmd: Command) {
  const { root, dir, config, state } = await context(cmd, model);
  assertDeclaredArtifact(config, state, model);
  const deploy = await deployStep({ root, dir, state }, options, "rolled back with the CLI");
  const planned = planRollback(state, { artifact: model, stage, fields: await who(root, options) });
  await finish(root, planned, options, deploy);
}

/** What a promote or rollback plan assigns, with the version's commit (from the tags read before). */
function assignmentOf(state: RegistryState, plan: RegistryPlan, reason: string): StageAssignment | undefined {
  if (!plan.version || !plan.stage) return undefined;
  const version = findVersion(state, { artifact: plan.artifact, version: plan.version });
  return version
    ? { model: plan.artifact, stage: plan.stage, version: plan.version, commit: version.commit, reason }
    : undefined;
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
