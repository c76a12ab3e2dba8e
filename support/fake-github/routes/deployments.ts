/** Deployments, their statuses, environments and the custom deployment protection rule answer. */
import type { FakeDeployment, FakeDeploymentStatus, FakeRepo } from "../state.js";
import { renderUser } from "./render.js";
import { HttpError, paginate, type RouteTable, requireValue } from "./types.js";

function renderDeployment(repo: FakeRepo, d: FakeDeployment, baseUrl: string) {
  const url = `${baseUrl}/repos/${repo.fullName}/deployments/${d.id}`;
  return {
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload ?? {},
    environment: d.environment,
    original_environment: d.environment,
    description: d.description,
    creator: renderUser(d.creator, baseUrl),
    created_at: d.createdAt,
    updated_at: d.createdAt,
    url,
    statuses_url: `${url}/statuses`,
    repository_url: `${baseUrl}/repos/${repo.fullName}`,
    production_environment: d.production,
    transient_environment: d.transient,
  };
}

function renderStatus(
  repo: FakeRepo,
  d: FakeDeployment,
  s: FakeDeployment["statuses"][number],
  baseUrl: string,
) {
  const url = `${baseUrl}/repos/${repo.fullName}/deployments/${d.id}`;
  return {
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    description: s.description,
    environment: s.environment,
    creator: renderUser(s.creator, baseUrl),
    created_at: d.createdAt,
    updated_at: d.createdAt,
    url: `${url}/statuses/${s.id}`,
    deployment_url: url,
    repository_url: `${baseUrl}/repos/${repo.fullName}`,
    target_url: s.logUrl,
    log_url: s.logUrl,
    environment_url: s.environmentUrl,
  };
}

export const deploymentRoutes: RouteTable = {
  "repos/create-deployment": ({ state, repo, body, actor, baseUrl }) => {
    const sha = state.resolveCommit(repo, body.ref);
    if (!sha) throw new HttpError(422, `No ref found for: ${body.ref}`);
    const environment = body.environment ?? "production";
    repo.environments.add(environment);
    const deployment: FakeDeployment = {
      id: state.nextId(),
      sha,
      ref: body.ref,
      task: body.task ?? "deploy",
      environment,
      payload: typeof body.payload === "string" ? JSON.parse(body.payload || "{}") : (body.payload ?? {}),
      description: body.description ?? null,
      creator: actor,
      createdAt: state.timestamp(),
      // GitHub's default: production_environment is true when the environment is "production".
      production: body.production_environment ?? environment === "production",
      transient: body.transient_environment ?? false,
      statuses: [],
    };
    repo.deployments.set(deployment.id, deployment);
    return { status: 201, body: renderDeployment(repo, deployment, baseUrl) };
  },

  "repos/list-deployments": ({ repo, query, baseUrl }) => {
    const list = [...repo.deployments.values()]
      .filter((d) => !query.environment || d.environment === query.environment)
      .filter((d) => !query.sha || d.sha === query.sha)
      .filter((d) => !query.ref || d.ref === query.ref)
      .sort((a, b) => b.id - a.id);
    return { status: 200, body: paginate(list, query).map((d) => renderDeployment(repo, d, baseUrl)) };
  },

  "repos/get-deployment": ({ repo, params, baseUrl }) => {
    const d = requireValue(repo.deployments.get(Number(params.deployment_id)));
    return { status: 200, body: renderDeployment(repo, d, baseUrl) };
  },

  "repos/create-deployment-status": ({ state, repo, params, body, actor, baseUrl }) => {
    const d = requireValue(repo.deployments.get(Number(params.deployment_id)));
    const status: FakeDeploymentStatus = {
      id: state.nextId(),
      state: body.state,
      description: body.description ?? "",
      environment: body.environment ?? d.environment,
      environmentUrl: body.environment_url ?? "",
      logUrl: body.log_url ?? body.target_url ?? "",
      creator: actor,
    };
    d.statuses.push(status);
    // auto_inactive (default true): a success makes the earlier successful deployments to the same
    // environment inactive — except production and transient ones, as GitHub documents.
    if (body.state === "success" && body.auto_inactive !== false) {
      for (const other of repo.deployments.values()) {
        const last = other.statuses.at(-1)?.state;
        if (other.id >= d.id || other.environment !== d.environment || last !== "success") continue;
        if (other.production || other.transient) continue;
        other.statuses.push({
          ...status,
          id: state.nextId(),
          state: "inactive",
          description: "",
          creator: actor,
        });
      }
    }
    return { status: 201, body: renderStatus(repo, d, status, baseUrl) };
  },

  "repos/list-deployment-statuses": ({ repo, params, query, baseUrl }) => {
    const d = requireValue(repo.deployments.get(Number(params.deployment_id)));
    const statuses = [...d.statuses].reverse();
    return { status: 200, body: paginate(statuses, query).map((s) => renderStatus(repo, d, s, baseUrl)) };
  },

  "repos/get-environment": ({ repo, params, baseUrl }) => {
    const name = params.environment_name!;
    if (!repo.environments.has(name)) throw new HttpError(404, "Not Found");
    return {
      status: 200,
      body: {
        id: repo.id * 1000 + [...repo.environments].indexOf(name),
        node_id: `EN_${name}`,
        name,
        url: `${baseUrl}/repos/${repo.fullName}/environments/${name}`,
        html_url: `https://github.com/${repo.fullName}/deployments/activity_log?environments_filter=${name}`,
        created_at: "2026-01-01T00:00:00Z",
        updated_at: "2026-01-01T00:00:00Z",
      },
    };
  },

  "actions/review-custom-gates-for-run": ({ repo, params, body }) => {
    repo.protectionRuleReviews.push({
      runId: Number(params.run_id),
      environment_name: body.environment_name,
      state: body.state,
      ...(body.comment === undefined ? {} : { comment: body.comment }),
    });
    return { status: 204 };
  },
};
