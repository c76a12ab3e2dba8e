/**
 * `/trainyard promote <model> <stage> [version]` and `/trainyard rollback <model> <stage>`:
 * authorise, plan with the registry's own rules (stage order, default branch), write the stage
 * tag(s), then deploy: when the stage has a deploy hook (trainyard.yaml on the default branch), a
 * queued GitHub deployment that the deploy workflow picks up; otherwise, for production, a
 * deployment recorded as done — the approval path that works without custom protection rules.
 */
import { resolveAccessPolicy } from "../../core/authorization/index.js";
import { isProtectedStage } from "../../core/config/protected-stages.js";
import type { ModelConfig } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import { planPromote, planRollback, type RegistryPlan, registryPolicyOf } from "../../core/registry/index.js";
import { codeSpan } from "../../core/trust/index.js";
import { authorizeActor } from "../authorize-actor.js";
import { createDeploymentWithStatus } from "../deployments.js";
import { createAnnotatedTag } from "../git-tags.js";
import { deployAssignments } from "../model-deployments.js";
import { isOnDefaultBranch, readRegistry } from "../read-registry.js";
import { type CommandEnv, type CommandResult, denied, findModel, isResult, refused } from "./command-env.js";

export interface StageCommand {
  kind: "promote" | "rollback";
  model: string;
  stage: string;
  version?: string;
}

export async function runStageCommand(env: CommandEnv, command: StageCommand): Promise<CommandResult> {
  const config = findModel(env, command.model);
  if (isResult(config)) return config;
  const what = `\`${command.kind} ${command.model} ${command.stage}\``;
  const decision = await authorizeActor(env.api, {
    owner: env.owner,
    repo: env.repo,
    what,
    actor: env.actor,
    policy: resolveAccessPolicy(config, command.kind, command.stage),
  });
  if (!decision.allowed) return denied(decision);

  const where = { owner: env.owner, repo: env.repo };
  const state = await readRegistry(env.api, where, [command.model]);
  const fields = { actor: env.actor.login, reason: `/trainyard ${command.kind} on #${env.issue.number}` };
  let plan: RegistryPlan;
  try {
    if (command.kind === "rollback") {
      plan = planRollback(state, { artifact: command.model, stage: command.stage, fields });
    } else {
      const artifact = state.artifacts[command.model];
      const version = command.version ?? artifact?.latest;
      const commit = artifact?.versions.find((v) => v.version === version)?.commit;
      const reachable = commit
        ? await isOnDefaultBranch(env.api, { ...where, defaultBranch: env.defaultBranch }, commit)
        : undefined;
      plan = planPromote(state, {
        artifact: command.model,
        stage: command.stage,
        ...(command.version ? { version: command.version } : {}),
        policy: registryPolicyOf(config),
        ...(reachable !== undefined ? { reachableFromDefault: reachable } : {}),
        fields,
      });
    }
  } catch (error) {
    if (error instanceof TrainyardError) return refused(`${error.message}.`);
    throw error;
  }
  for (const tag of plan.tags) {
    await createAnnotatedTag(env.api, { ...where, name: tag.name, message: tag.message, commit: tag.commit });
  }
  const tagList = plan.tags.map((t) => `\`${t.name}\``).join(", ");
  const verb = command.kind === "promote" ? "promoted" : "rolled back";
  let message = `${verb} \`${command.model}\` ${plan.version} ${command.kind === "promote" ? "to" : "in"} \`${command.stage}\` (${tagList}).`;
  const commit = state.artifacts[command.model]?.versions.find((v) => v.version === plan.version)?.commit;
  if (commit && config.deploy?.[command.stage]) {
    const [started] = await deployAssignments(env.api, where, env.config, [
      {
        model: command.model,
        stage: command.stage,
        version: plan.version ?? "",
        commit,
        reason: `${command.kind} by @${env.actor.login}`,
      },
    ]);
    if (started) message += ` Deployment ${started.id} to ${codeSpan(started.environment)} queued.`;
  } else if (isProtectedStage(config, command.stage) && commit) {
    message += await deploy(env, config, command, plan, commit);
  }
  return { ok: true, message };
}

async function deploy(
  env: CommandEnv,
  config: ModelConfig,
  command: StageCommand,
  plan: RegistryPlan,
  commit: string,
): Promise<string> {
  const environment = config.environment ?? command.stage;
  const id = await createDeploymentWithStatus(env.api, {
    owner: env.owner,
    repo: env.repo,
    sha: commit,
    environment,
    description: `${command.model} ${plan.version} (${command.kind} by ${env.actor.login})`,
    payload: { model: command.model, version: plan.version ?? "" },
    production: true,
  });
  return ` Deployment ${id} to \`${environment}\` recorded.`;
}
