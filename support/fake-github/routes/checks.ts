import type { FakeCheckRun, FakeRepo, FakeState } from "../state.js";
import { renderIntegration } from "./render.js";
import { HttpError, paginate, type RouteTable, requireValue } from "./types.js";

function renderCheckRun(state: FakeState, repo: FakeRepo, run: FakeCheckRun, baseUrl: string) {
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    name: run.name,
    head_sha: run.headSha,
    status: run.status,
    conclusion: run.conclusion,
    external_id: run.externalId,
    details_url: run.detailsUrl,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    url: `${baseUrl}/repos/${repo.fullName}/check-runs/${run.id}`,
    html_url: `https://github.com/${repo.fullName}/runs/${run.id}`,
    output: {
      title: run.output.title ?? null,
      summary: run.output.summary ?? null,
      text: run.output.text ?? null,
      annotations_count: 0,
      annotations_url: `${baseUrl}/repos/${repo.fullName}/check-runs/${run.id}/annotations`,
    },
    check_suite: { id: run.id },
    app: renderIntegration(state.integration(run.app), baseUrl),
    pull_requests: [],
  };
}

// biome-ignore lint/suspicious/noExplicitAny: validated request body
function apply(run: FakeCheckRun, body: any, now: string) {
  if (body.name !== undefined) run.name = body.name;
  if (body.status !== undefined) run.status = body.status;
  if (body.conclusion !== undefined) {
    run.conclusion = body.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") run.completedAt = body.completed_at ?? run.completedAt ?? now;
  if (body.output) run.output = { ...run.output, ...body.output };
  if (body.external_id !== undefined) run.externalId = body.external_id;
  if (body.details_url !== undefined) run.detailsUrl = body.details_url;
}

export const checkRoutes: RouteTable = {
  "checks/create": ({ state, repo, body, caller, baseUrl }) => {
    // Only GitHub Apps (GitHub Actions included) create check runs; the run remembers which.
    const appId = caller.kind === "token" ? caller.token.appId : undefined;
    if (appId === undefined) throw new HttpError(403, "You must authenticate via a GitHub App.");
    requireValue(state.object(repo, body.head_sha, "commit"), 422, "No commit found for SHA");
    const now = state.timestamp();
    const run: FakeCheckRun = {
      id: state.nextId(),
      name: body.name,
      headSha: body.head_sha,
      status: "queued",
      conclusion: null,
      output: {},
      externalId: null,
      detailsUrl: null,
      startedAt: body.started_at ?? now,
      completedAt: null,
      app: appId,
    };
    apply(run, body, now);
    repo.checkRuns.set(run.id, run);
    return { status: 201, body: renderCheckRun(state, repo, run, baseUrl) };
  },

  "checks/update": ({ state, repo, params, body, caller, baseUrl }) => {
    const run = requireValue(repo.checkRuns.get(Number(params.check_run_id)));
    // GitHub lets only the app that created a check run update it.
    if (caller.kind !== "token" || caller.token.appId !== run.app) {
      throw new HttpError(
        403,
        "Invalid app_id `" + String(run.app) + "` - check run can only be modified by its creator.",
      );
    }
    apply(run, body, state.timestamp());
    return { status: 200, body: renderCheckRun(state, repo, run, baseUrl) };
  },

  "checks/get": ({ state, repo, params, baseUrl }) => {
    const run = requireValue(repo.checkRuns.get(Number(params.check_run_id)));
    return { status: 200, body: renderCheckRun(state, repo, run, baseUrl) };
  },

  "checks/list-for-ref": ({ state, repo, params, query, baseUrl }) => {
    const sha = state.resolveCommit(repo, params.ref!) ?? params.ref;
    const runs = [...repo.checkRuns.values()]
      .filter((r) => r.headSha === sha)
      .filter((r) => !query.check_name || r.name === query.check_name)
      .filter((r) => !query.app_id || r.app === Number(query.app_id))
      .sort((a, b) => b.id - a.id);
    return {
      status: 200,
      body: {
        total_count: runs.length,
        check_runs: paginate(runs, query).map((r) => renderCheckRun(state, repo, r, baseUrl)),
      },
    };
  },
};
