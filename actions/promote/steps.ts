/**
 * The `promote` action's named steps, on the registry's own rules (planRegister / planPromote, the
 * same planner the CLI and the bot use) and the git data API for tags:
 *   1. resolve the commit and read trainyard.yaml there;
 *   2. register a version on it unless the wanted version (or this commit) is already registered —
 *      only on a commit whose lock vouches for the model (`checkLockAt`, as the CLI checks);
 *   3. assign the stage, checking stage order and, for a protected stage, that the commit is on
 *      the default branch and that whoever triggered the workflow is an approver (fail closed);
 *   4. when the stage has a deploy hook, create the GitHub deployment the deploy workflow runs.
 * The policy (stage order, protected stages, approvers, permissions) is the default branch's
 * trainyard.yaml, read through the API: a dispatch from an edited branch cannot change it.
 */
import { realpathSync } from "node:fs";
import { relative, sep } from "node:path";
import { resolveAccessPolicy } from "../../src/core/authorization/index.js";
import { isProtectedStage } from "../../src/core/config/protected-stages.js";
import type { Config, ModelConfig } from "../../src/core/config/schema.js";
import { TrainyardError } from "../../src/core/errors.js";
import { projectDirProblem, qualifiedName, ROOT_PROJECT } from "../../src/core/projects.js";
import {
  type MessageFields,
  planPromote,
  planRegister,
  type RegistryPlan,
  type RegistryState,
  registryPolicyOf,
} from "../../src/core/registry/index.js";
import { artifactToTag } from "../../src/core/registry/tag-grammar.js";
import { authorizeActor } from "../../src/github/authorize-actor.js";
import { createGitHubClient, type GitHubClient, githubError } from "../../src/github/client.js";
import { createAnnotatedTag } from "../../src/github/git-tags.js";
import { loadConfigAtRef } from "../../src/github/load-repo-config.js";
import { deployAssignments } from "../../src/github/model-deployments.js";
import { isOnDefaultBranch, readRegistry } from "../../src/github/read-registry.js";
import { type ActionContext, resolveWorkingDirectory } from "../../src/io/action/index.js";
import { readConfig, revisionReader } from "../../src/io/config/index.js";
import { gitTopLevel, resolveCommit } from "../../src/io/git/index.js";
import { checkLockAt, registrationFields } from "../../src/io/registry/index.js";
import type { PromoteInputs } from "./inputs.js";

export interface PromoteOutcome {
  readonly version: string;
  readonly versionTag: string;
  readonly stageTag?: string;
  /** The GitHub deployment created for the stage's deploy hook, if it has one. */
  readonly deploymentId?: number;
  /** Every tag written, in order (empty when the version was already registered and no stage asked). */
  readonly created: readonly string[];
}

export async function registerAndPromote(
  inputs: PromoteInputs,
  context: ActionContext,
): Promise<PromoteOutcome> {
  const root = resolveWorkingDirectory(context.workspace, inputs.workingDirectory).path;
  // A project in a folder of the repository names its artifacts `folder:model` (GTO's prefix).
  const artifact = qualifiedName(projectDirOf(root), inputs.model);
  const commit = await resolveCommit(root, inputs.ref || context.sha || "HEAD");
  const config = (await readConfig(revisionReader(root, commit)))?.config;
  const model = config?.models[inputs.model];
  if (!config || !model) {
    throw new TrainyardError(
      "usage",
      `model "${inputs.model}" is not under models: in trainyard.yaml at ${commit.slice(0, 12)}${
        config ? ` (models: ${Object.keys(config.models).join(", ") || "none"})` : ""
      }`,
    );
  }
  const github = createGitHubClient({ token: inputs.token, baseUrl: context.apiUrl });
  const where = { owner: context.owner, repo: context.repo };
  const fields: MessageFields = {
    actor: context.actor.login || "github-actions",
    reason: inputs.message || `workflow run ${context.runUrl}`,
  };
  const created: string[] = [];
  const write = async (plan: RegistryPlan) => {
    for (const tag of plan.tags) {
      await createAnnotatedTag(github, {
        ...where,
        name: tag.name,
        message: tag.message,
        commit: tag.commit,
      }).catch((thrown: unknown) => {
        throw githubError(`cannot create tag ${tag.name}`, thrown);
      });
      created.push(tag.name);
    }
  };

  let state = await readRegistry(github, where, [artifact]);
  const version = existingVersion(state, artifact, inputs, commit);
  let registered = version;
  if (!registered) {
    // The CLI's own checks and tag fields: every stage recorded with its command, metrics and hashes.
    const lock = await checkLockAt(root, config, commit, inputs.model);
    const plan = planRegister(state, {
      artifact,
      commit,
      ...(inputs.version ? { version: inputs.version } : { bump: inputs.bump }),
      lockClean: lock.clean,
      ...(lock.problem ? { lockProblem: lock.problem } : {}),
      fields: await registrationFields(root, config, inputs.model, commit, fields),
    });
    await write(plan);
    registered = plan.version as string;
    state = await readRegistry(github, where, [artifact]);
  }

  let stageTag: string | undefined;
  let deploymentId: number | undefined;
  if (inputs.stage) {
    const defaultBranch = await readDefaultBranch(github, context);
    const policyConfig = await loadConfigAtRef(github, { ...where, ref: defaultBranch });
    const policy = policyModelOf(policyConfig, artifact, defaultBranch);
    await requireApprover(github, context, policy, inputs);
    const target = state.artifacts[artifact]?.versions.find((v) => v.version === registered);
    const reachable = target
      ? await isOnDefaultBranch(github, { ...where, defaultBranch }, target.commit)
      : undefined;
    const plan = planPromote(state, {
      artifact,
      stage: inputs.stage,
      version: registered,
      policy: registryPolicyOf(policy),
      ...(reachable !== undefined ? { reachableFromDefault: reachable } : {}),
      fields,
    });
    await write(plan);
    stageTag = plan.tags.at(-1)?.name;
    if (target && plan.tags.length > 0) {
      const [started] = await deployAssignments(github, where, policyConfig, [
        {
          model: artifact,
          stage: inputs.stage,
          version: target.version,
          commit: target.commit,
          reason: `promoted by @${fields.actor}`,
        },
      ]);
      deploymentId = started?.id;
    }
  }
  return {
    version: registered,
    versionTag: `${artifactToTag(artifact)}@${registered}`,
    ...(stageTag ? { stageTag } : {}),
    ...(deploymentId !== undefined ? { deploymentId } : {}),
    created,
  };
}

/** The version to work on when it is registered already: the named one, or the one on this commit. */
function existingVersion(
  state: RegistryState,
  artifact: string,
  inputs: PromoteInputs,
  commit: string,
): string | undefined {
  const versions = state.artifacts[artifact]?.versions ?? [];
  const live = versions.filter((v) => v.registered && !v.deregistered);
  if (inputs.version) return live.find((v) => v.version === inputs.version)?.version;
  return live.find((v) => v.commit === commit)?.version;
}

/** The model's policy as merged: trainyard.yaml on the default branch (fail closed when absent). */
function policyModelOf(config: Config | undefined, name: string, ref: string): ModelConfig {
  const model = config?.models[name];
  if (!model) {
    throw new TrainyardError(
      "auth",
      `model "${name}" is not in trainyard.yaml on ${ref}; its promotion policy is read from there, so nothing was promoted`,
    );
  }
  return model;
}

/** A protected stage takes an approver: the person who started the workflow must be one (fail closed). */
async function requireApprover(
  github: GitHubClient,
  context: ActionContext,
  model: ModelConfig,
  inputs: PromoteInputs,
) {
  if (!inputs.stage || !isProtectedStage(model, inputs.stage)) return;
  const decision = await authorizeActor(github, {
    owner: context.owner,
    repo: context.repo,
    what: `promote ${inputs.model} to ${inputs.stage}`,
    actor: context.actor,
    policy: resolveAccessPolicy(model, "promote", inputs.stage),
  });
  if (!decision.allowed) throw new TrainyardError("auth", decision.reason);
}

/** The working directory's folder inside its repository ("" at the top). */
function projectDirOf(root: string): string {
  const top = gitTopLevel(root);
  const dir = top ? relative(top, realpathSync(root)).split(sep).join("/") : ROOT_PROJECT;
  const problem = projectDirProblem(dir);
  if (problem) throw new TrainyardError("usage", `working-directory ${JSON.stringify(dir)} ${problem}`);
  return dir;
}

async function readDefaultBranch(github: GitHubClient, context: ActionContext): Promise<string> {
  const fromEvent = (context.payload.repository as { default_branch?: unknown } | undefined)?.default_branch;
  if (typeof fromEvent === "string" && fromEvent) return fromEvent;
  const { data } = await github.rest.repos.get({ owner: context.owner, repo: context.repo });
  return data.default_branch;
}
