/** `/trainyard retrain` → the `repository_dispatch` event the run workflow listens to. */
import type { Octokit } from "@octokit/rest";

type Api = Pick<Octokit, "rest">;

export const RETRAIN_EVENT = "trainyard-retrain";

export interface RetrainRequest {
  owner: string;
  repo: string;
  /** Undefined retrains every model. */
  model?: string;
  reason: string;
  requestedBy: string;
}

export async function dispatchRetrain(api: Api, request: RetrainRequest): Promise<void> {
  await api.rest.repos.createDispatchEvent({
    owner: request.owner,
    repo: request.repo,
    event_type: RETRAIN_EVENT,
    client_payload: {
      ...(request.model ? { model: request.model } : {}),
      reason: request.reason,
      requested_by: request.requestedBy,
    },
  });
}
