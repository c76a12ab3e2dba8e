/**
 * The `deploy` action's named steps, run by the workflow a Trainyard deployment triggers
 * (`on: deployment`, in the deployment's environment):
 *   1. read the deployment from the event and mark it `in_progress` (log_url: this run);
 *   2. read the deploy hook from trainyard.yaml on the default branch (policy, never a branch's)
 *      and resolve the stage to its version and commit in the registry; a deployment the stage has
 *      moved on from, or whose commit is not the version's, is refused;
 *   3. fetch the model and its card from the store, every object checked against its sha256;
 *   4. run the hook with TRAINYARD_MODEL_PATH, _VERSION, _SHA256, _CARD and _STAGE;
 *   5. report `success` (environment_url: the hook's url) or `failure` (log_url: this run);
 *   6. on failure with `rollback_on_failure`, give the stage back to the version that held it
 *      before (GTO-style stage tags) and deploy that under its own deployment, here and now
 *      (a deployment created with the workflow's token would start no workflow of its own).
 */
import type { DeployHook } from "../../src/core/config/deploy-schema.js";
import { TrainyardError, toError } from "../../src/core/errors.js";
import { parseDeploymentPayload } from "../../src/core/promotion/index.js";
import { findVersion, planRollback, type RegistryState } from "../../src/core/registry/index.js";
import type { VersionState } from "../../src/core/registry/registry-state.js";
import { createGitHubClient, type GitHubClient, githubError } from "../../src/github/client.js";
import { createAnnotatedTag } from "../../src/github/git-tags.js";
import { loadConfigAtRef } from "../../src/github/load-repo-config.js";
import { deployAssignments, reportDeploymentStatus } from "../../src/github/model-deployments.js";
import { readRegistry } from "../../src/github/read-registry.js";
import { type ActionContext, logInfo, resolveWorkingDirectory } from "../../src/io/action/index.js";
import { fetchVerifiedVersion, runDeployHook } from "../../src/io/deploy/index.js";
import type { DeployInputs } from "./inputs.js";

export interface DeployOutcome {
  model: string;
  version: string;
  stage: string;
  sha256: string;
  state: "success" | "failure";
  /** Why it failed, for the step's error. */
  problem?: string;
  /** The version the stage was given back to, when the deployment failed and rolled back. */
  rolledBackTo?: string;
  rollbackState?: "success" | "failure";
}

interface Target {
  github: GitHubClient;
  where: { owner: string; repo: string };
  root: string;
  context: ActionContext;
  inputs: DeployInputs;
}

interface EventDeployment {
  id: number;
  sha: string;
  environment: string;
  model: string;
  version: string;
  stage: string;
}

export async function deployFromEvent(
  inputs: DeployInputs,
  context: ActionContext,
  onLine: (line: string) => void = logInfo,
): Promise<DeployOutcome> {
  const deployment = readDeploymentEvent(context);
  const target: Target = {
    github: createGitHubClient({ token: inputs.token, baseUrl: context.apiUrl }),
    where: { owner: context.owner, repo: context.repo },
    root: resolveWorkingDirectory(context.workspace, inputs.workingDirectory).path,
    context,
    inputs,
  };
  const { github, where } = target;
  const report = (id: number, state: "in_progress" | "failure", description: string) =>
    reportDeploymentStatus(github, where, id, {
      state,
      description,
      environment: deployment.environment,
      logUrl: context.runUrl,
    });
  await report(deployment.id, "in_progress", `deploying ${deployment.model} ${deployment.version}`);

  let hook: DeployHook;
  let state: RegistryState;
  let holder: VersionState;
  try {
    ({ hook, state, holder } = await checkDeployment(target, deployment));
  } catch (thrown) {
    const error = toError(thrown);
    await report(deployment.id, "failure", error.message);
    throw error;
  }
  const base = { model: deployment.model, stage: deployment.stage };
  const first = await deployVersion(target, deployment, holder, hook, onLine);
  const outcome: DeployOutcome = { ...base, ...first };
  if (first.state === "success" || !hook.rollback_on_failure) return outcome;

  const plan = planRollback(state, {
    artifact: deployment.model,
    stage: deployment.stage,
    fields: {
      actor: context.actor.login || "github-actions",
      reason: `deploying ${deployment.version} failed (${context.runUrl})`,
    },
  });
  for (const tag of plan.tags) {
    await createAnnotatedTag(github, {
      ...where,
      name: tag.name,
      message: tag.message,
      commit: tag.commit,
    }).catch((thrown: unknown) => {
      throw githubError(`cannot create tag ${tag.name}`, thrown);
    });
  }
  const previous = state.artifacts[deployment.model]?.versions.find((v) => v.version === plan.version);
  if (!previous)
    throw new TrainyardError("registry", `rolled back to ${plan.version}, which is not registered`);
  const policy = await loadConfigAtRef(github, { ...where, ref: await readDefaultBranch(github, context) });
  const [started] = await deployAssignments(github, where, policy, [
    {
      ...base,
      version: previous.version,
      commit: previous.commit,
      reason: `rollback after ${deployment.version} failed`,
    },
  ]);
  if (!started)
    throw new TrainyardError("config", `${deployment.model} ${deployment.stage} has no deploy hook any more`);
  onLine(`rolling ${deployment.stage} back to ${previous.version} (deployment ${started.id})`);
  await report(started.id, "in_progress", `rolling back to ${deployment.model} ${previous.version}`);
  const rollback = await deployVersion(
    target,
    { ...deployment, id: started.id, version: previous.version, sha: previous.commit },
    previous,
    hook,
    onLine,
  );
  return { ...outcome, rolledBackTo: previous.version, rollbackState: rollback.state };
}

/** The hook (default branch) and the registry, once the deployment is what the stage holds now. */
async function checkDeployment(target: Target, deployment: EventDeployment) {
  const { github, where, context } = target;
  const defaultBranch = await readDefaultBranch(github, context);
  const policy = await loadConfigAtRef(github, { ...where, ref: defaultBranch });
  const hook = policy?.models[deployment.model]?.deploy?.[deployment.stage];
  if (!hook) {
    throw new TrainyardError(
      "config",
      `trainyard.yaml on ${defaultBranch} has no models.${deployment.model}.deploy.${deployment.stage}; nothing was deployed`,
    );
  }
  const state = await readRegistry(github, where, [deployment.model]);
  const holder = findVersion(state, { artifact: deployment.model, stage: deployment.stage });
  if (!holder || holder.version !== deployment.version) {
    throw new TrainyardError(
      "registry",
      `${deployment.model} ${deployment.stage} is now ${holder?.version ?? "unassigned"}, not ${deployment.version}; this deployment is out of date`,
    );
  }
  if (holder.commit !== deployment.sha) {
    throw new TrainyardError(
      "registry",
      `the deployment names commit ${deployment.sha.slice(0, 12)}, but ${deployment.model}@${holder.version} is on ${holder.commit.slice(0, 12)}`,
    );
  }
  return { hook, state, holder };
}

/** Fetch (verified), run the hook, report the verdict. Failures are reported, not thrown. */
async function deployVersion(
  target: Target,
  deployment: EventDeployment,
  registered: VersionState,
  hook: DeployHook,
  onLine: (line: string) => void,
): Promise<{ version: string; sha256: string; state: "success" | "failure"; problem?: string }> {
  const { github, where, root, context, inputs } = target;
  const { version, model, stage } = deployment;
  const fail = async (problem: string) => {
    await reportDeploymentStatus(github, where, deployment.id, {
      state: "failure",
      description: problem,
      environment: deployment.environment,
      logUrl: context.runUrl,
    });
    return { version, sha256: "", state: "failure" as const, problem };
  };
  let fetched: Awaited<ReturnType<typeof fetchVerifiedVersion>>;
  try {
    fetched = await fetchVerifiedVersion(root, model, stage, registered, {
      ...(inputs.remote ? { remote: inputs.remote } : {}),
      ...runnerTemp(),
    });
  } catch (thrown) {
    return fail(`${model} ${version} could not be fetched and verified: ${toError(thrown).message}`);
  }
  onLine(`${model} ${version}: ${fetched.files} file(s), ${fetched.bytes} bytes, sha256 ${fetched.sha256}`);
  const result = await runDeployHook(root, hook, fetched, onLine);
  if (result.exitCode !== 0) {
    return {
      ...(await fail(
        `the deploy hook for ${model} ${version} ${result.signal ? `was killed by ${result.signal}` : `exited with ${result.exitCode}`}`,
      )),
      sha256: fetched.sha256,
    };
  }
  await reportDeploymentStatus(github, where, deployment.id, {
    state: "success",
    description: `${model} ${version} deployed to ${stage}`,
    environment: deployment.environment,
    logUrl: context.runUrl,
    ...(hook.url ? { environmentUrl: hook.url } : {}),
  });
  return { version, sha256: fetched.sha256, state: "success" };
}

/** The deployment GitHub put in the `deployment` event, and what our payload says it carries. */
export function readDeploymentEvent(context: ActionContext): EventDeployment {
  const raw = context.payload.deployment as Record<string, unknown> | undefined;
  if (context.eventName !== "deployment" || !raw) {
    throw new TrainyardError(
      "usage",
      `the deploy action runs on the deployment event (on: deployment), not on ${context.eventName || "no event"}`,
    );
  }
  const payload = parseDeploymentPayload(raw.payload);
  const { id, sha, environment } = raw;
  if (typeof id !== "number" || typeof sha !== "string" || typeof environment !== "string" || !payload) {
    throw new TrainyardError(
      "usage",
      "this deployment was not created by Trainyard (its payload names no model, version and stage); nothing was deployed",
    );
  }
  return { id, sha, environment, ...payload };
}

async function readDefaultBranch(github: GitHubClient, context: ActionContext): Promise<string> {
  const fromEvent = (context.payload.repository as { default_branch?: unknown } | undefined)?.default_branch;
  if (typeof fromEvent === "string" && fromEvent) return fromEvent;
  const { data } = await github.rest.repos.get({ owner: context.owner, repo: context.repo });
  return data.default_branch;
}

/** The runner's scratch folder (emptied after the job) for the downloaded model, when there is one. */
function runnerTemp(): { parentDir?: string } {
  const temp = process.env.RUNNER_TEMP;
  return temp ? { parentDir: temp } : {};
}
