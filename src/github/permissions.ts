/**
 * The facts authorisation needs, looked up through the API. Every failure becomes an
 * "unknown" (never a default permission), and the core decision treats unknown as "no".
 */
import type { Octokit } from "@octokit/rest";
import type { Lookup } from "../core/authorization/authorize-command.js";
import {
  normalizeRepositoryPermission,
  type PermissionLevel,
} from "../core/authorization/permission-levels.js";
import { toError } from "../core/errors.js";
import { httpStatus } from "./client.js";

type Api = Pick<Octokit, "rest">;

export async function lookupRepositoryPermission(
  api: Api,
  owner: string,
  repo: string,
  username: string,
): Promise<Lookup<PermissionLevel>> {
  try {
    const { data } = await api.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    const level = normalizeRepositoryPermission(data);
    return level
      ? { known: true, value: level }
      : { known: false, error: "GitHub answered an unknown permission" };
  } catch (error) {
    return { known: false, error: describeFailure(error) };
  }
}

/**
 * Active membership counts; a pending invitation does not. 404 means "not a member" (GitHub also
 * answers 404 when the app may not read the team — either way the answer is no).
 */
export async function lookupTeamMembership(
  api: Api,
  org: string,
  teamSlug: string,
  username: string,
): Promise<Lookup<boolean>> {
  try {
    const { data } = await api.rest.teams.getMembershipForUserInOrg({ org, team_slug: teamSlug, username });
    return { known: true, value: data.state === "active" };
  } catch (error) {
    if (httpStatus(error) === 404) return { known: true, value: false };
    return { known: false, error: describeFailure(error) };
  }
}

function describeFailure(error: unknown): string {
  const status = httpStatus(error);
  return status ? `GitHub answered HTTP ${status}` : toError(error).message;
}
