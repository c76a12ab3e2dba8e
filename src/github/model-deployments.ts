/**
 * GitHub deployments for model versions, in the order GitHub's deployments API documents: the
 * tooling creates the deployment (here `queued`, waiting for the workflow its `deployment` event
 * starts); the deployer reports `in_progress`, then `success` (with `environment_url`) or
 * `failure` (with `log_url`). Assignments whose stage has no deploy hook create nothing.
 */
import type { Config } from "../core/config/schema.js";
import { TrainyardError } from "../core/errors.js";
import { type PlannedDeployment, planDeployment, type StageAssignment } from "../core/promotion/index.js";
import { type GitHubClient, githubError } from "./client.js";

export interface Where {
  owner: string;
  repo: string;
}

export interface StartedDeployment {
  id: number;
  model: string;
  version: string;
  stage: string;
  environment: string;
}

export type DeploymentState = "queued" | "in_progress" | "success" | "failure" | "error";

export interface DeploymentStatusReport {
  state: DeploymentState;
  description: string;
  environment?: string;
  /** The deployed service (on success). */
  environmentUrl?: string;
  /** The run that did the work (the workflow run URL). */
  logUrl?: string;
}

export async function createModelDeployment(
  api: GitHubClient,
  where: Where,
  planned: PlannedDeployment,
): Promise<number> {
  const { data } = await api.rest.repos
    .createDeployment({
      ...where,
      ref: planned.ref,
      task: planned.task,
      environment: planned.environment,
      description: planned.description,
      payload: { ...planned.payload },
      // The version's commit passed its gates when it was registered; the statuses of later
      // commits are not what this deployment is about.
      auto_merge: false,
      required_contexts: [],
      production_environment: planned.productionEnvironment,
    })
    .catch((thrown: unknown) => {
      throw githubError(
        `cannot create a deployment of ${planned.payload.model} to ${planned.environment}`,
        thrown,
      );
    });
  if (!("id" in data)) {
    throw new TrainyardError(
      "github",
      `GitHub did not create the deployment: ${data.message ?? "no reason given"}`,
    );
  }
  return data.id;
}

export async function reportDeploymentStatus(
  api: GitHubClient,
  where: Where,
  deploymentId: number,
  report: DeploymentStatusReport,
): Promise<void> {
  await api.rest.repos
    .createDeploymentStatus({
      ...where,
      deployment_id: deploymentId,
      state: report.state,
      description: report.description.slice(0, 140),
      ...(report.environment ? { environment: report.environment } : {}),
      ...(report.environmentUrl ? { environment_url: report.environmentUrl } : {}),
      ...(report.logUrl ? { log_url: report.logUrl } : {}),
    })
    .catch((thrown: unknown) => {
      throw githubError(`cannot set deployment ${deploymentId} to ${report.state}`, thrown);
    });
}

/**
 * For each assignment whose stage has a deploy hook in `policy` (trainyard.yaml on the default
 * branch, never a pull request's): a deployment of the version's commit, marked `queued`.
 */
export async function deployAssignments(
  api: GitHubClient,
  where: Where,
  policy: Config | undefined,
  assignments: readonly StageAssignment[],
): Promise<StartedDeployment[]> {
  const started: StartedDeployment[] = [];
  for (const assignment of assignments) {
    const planned = planDeployment(policy?.models[assignment.model], assignment);
    if (!planned) continue;
    const id = await createModelDeployment(api, where, planned);
    await reportDeploymentStatus(api, where, id, {
      state: "queued",
      description: `waiting for the deploy workflow: ${planned.description}`,
      environment: planned.environment,
    });
    started.push({ id, ...planned.payload, environment: planned.environment });
  }
  return started;
}
