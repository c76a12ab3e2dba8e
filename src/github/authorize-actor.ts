/**
 * Gathers what `authorizeCommand` needs — repository permission, approver-team memberships —
 * through the API, and asks it. Lookups a decision cannot need are skipped (a bot is refused
 * without any call), and every failed lookup reaches the core as "unknown", which denies.
 */
import {
  type AccessPolicy,
  type Decision,
  formatTeam,
  type Lookup,
  authorizeCommand,
} from "../core/authorization/index.js";
import type { GitHubClient } from "./client.js";
import { lookupRepositoryPermission, lookupTeamMembership } from "./permissions.js";

export interface AuthorizeRequest {
  owner: string;
  repo: string;
  what: string;
  actor: { login: string; type: string };
  policy: AccessPolicy;
  pullRequestAuthor?: Lookup<string>;
}

export async function authorizeActor(api: GitHubClient, request: AuthorizeRequest): Promise<Decision> {
  const { actor, policy } = request;
  const isUser = actor.type === "User";
  const permission: Lookup<never> | Awaited<ReturnType<typeof lookupRepositoryPermission>> = isUser
    ? await lookupRepositoryPermission(api, request.owner, request.repo, actor.login)
    : { known: false, error: "not looked up for a non-user account" };
  const teamMemberships = new Map<string, Lookup<boolean>>();
  const listedUser = policy.approvers.users.includes(actor.login.toLowerCase());
  if (isUser && permission.known && !listedUser) {
    for (const team of policy.approvers.teams) {
      const membership = await lookupTeamMembership(api, team.org, team.slug, actor.login);
      teamMemberships.set(formatTeam(team), membership);
      if (membership.known && membership.value) break;
    }
  }
  return authorizeCommand({
    what: request.what,
    actor,
    permission,
    teamMemberships,
    ...(request.pullRequestAuthor ? { pullRequestAuthor: request.pullRequestAuthor } : {}),
    policy,
  });
}
