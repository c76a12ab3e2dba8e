/**
 * A stage assignment → the GitHub deployment its deploy hook asks for, or nothing when the stage
 * has no hook. Pure: the caller passes the policy (trainyard.yaml on the default branch) and
 * what was assigned; the `deploy` action reads the same payload back to know what to deploy.
 */
import type { DeployHook } from "../config/deploy-schema.js";
import { isProtectedStage, type ProtectedStagesConfig } from "../config/protected-stages.js";

/** The task name GitHub records; the deploy action ignores deployments with another task. */
export const DEPLOY_TASK = "deploy";

export interface StageAssignment {
  model: string;
  stage: string;
  version: string;
  /** The version's commit: what the deployment's ref names. */
  commit: string;
  /** Why, for the deployment's description (e.g. "merged #12", "rollback by @octocat"). */
  reason: string;
}

export interface DeploymentPayload {
  model: string;
  version: string;
  stage: string;
}

export interface PlannedDeployment {
  ref: string;
  task: typeof DEPLOY_TASK;
  environment: string;
  description: string;
  payload: DeploymentPayload;
  productionEnvironment: boolean;
}

export type DeployPolicy = ProtectedStagesConfig & {
  environment?: string;
  deploy?: Readonly<Record<string, DeployHook>>;
};

/** The environment a stage deploys to: the hook's, else the model's for its protected stage, else the stage. */
export function deployEnvironmentOf(policy: DeployPolicy, stage: string): string {
  const hook = policy.deploy?.[stage];
  if (hook?.environment) return hook.environment;
  if (policy.environment && isProtectedStage(policy, stage)) return policy.environment;
  return stage;
}

export function planDeployment(
  policy: DeployPolicy | undefined,
  assignment: StageAssignment,
): PlannedDeployment | undefined {
  if (!policy?.deploy?.[assignment.stage]) return undefined;
  const { model, stage, version, commit } = assignment;
  return {
    ref: commit,
    task: DEPLOY_TASK,
    environment: deployEnvironmentOf(policy, stage),
    // GitHub keeps 140 characters of a description.
    description: `${model} ${version} → ${stage} (${assignment.reason})`.slice(0, 140),
    payload: { model, version, stage },
    productionEnvironment: isProtectedStage(policy, stage),
  };
}

/** The payload of a deployment Trainyard created, or undefined when it is not one of ours. */
export function parseDeploymentPayload(payload: unknown): DeploymentPayload | undefined {
  let value = payload;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { model, version, stage } = value as Record<string, unknown>;
  if (typeof model !== "string" || typeof version !== "string" || typeof stage !== "string") return undefined;
  if (!model || !version || !stage) return undefined;
  return { model, version, stage };
}
