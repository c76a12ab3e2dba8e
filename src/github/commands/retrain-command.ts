/** `/trainyard retrain [model]` → `repository_dispatch: trainyard-retrain`, for writers. */
import { resolveAccessPolicy } from "../../core/authorization/index.js";
import { authorizeActor } from "../authorize-actor.js";
import { dispatchRetrain, RETRAIN_EVENT } from "../dispatch.js";
import { type CommandEnv, type CommandResult, denied, findModel, isResult } from "./command-env.js";

export async function runRetrain(env: CommandEnv, model: string | undefined): Promise<CommandResult> {
  const config = model ? findModel(env, model) : undefined;
  if (isResult(config)) return config;
  const what = `\`retrain${model ? ` ${model}` : ""}\``;
  const decision = await authorizeActor(env.api, {
    owner: env.owner,
    repo: env.repo,
    what,
    actor: env.actor,
    policy: resolveAccessPolicy(config, "retrain"),
  });
  if (!decision.allowed) return denied(decision);
  await dispatchRetrain(env.api, {
    owner: env.owner,
    repo: env.repo,
    ...(model ? { model } : {}),
    reason: `/trainyard retrain by ${env.actor.login} on #${env.issue.number}`,
    requestedBy: env.actor.login,
  });
  return { ok: true, message: `sent \`${RETRAIN_EVENT}\` for ${model ? `\`${model}\`` : "every model"}.` };
}
