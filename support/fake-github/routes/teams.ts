/**
 * Org team membership (`GET /orgs/{org}/teams/{team_slug}/memberships/{username}`), for
 * approvers given as `org/team`. Teams live beside the fake's state (seed them with
 * `addTeamMember`); a login that is not a member gets 404, like GitHub.
 */
import type { FakeState } from "../state.js";
import { renderUser } from "./render.js";
import { notFound, type RouteTable } from "./types.js";

const teams = new WeakMap<FakeState, Map<string, Map<string, "active" | "pending">>>();

function teamsOf(state: FakeState) {
  let map = teams.get(state);
  if (!map) {
    map = new Map();
    teams.set(state, map);
  }
  return map;
}

export function addTeamMember(
  state: FakeState,
  team: string,
  login: string,
  status: "active" | "pending" = "active",
): void {
  const key = team.toLowerCase();
  const members = teamsOf(state).get(key) ?? new Map();
  members.set(login.toLowerCase(), status);
  teamsOf(state).set(key, members);
}

export const teamRoutes: RouteTable = {
  "teams/get-membership-for-user-in-org": ({ state, params, baseUrl }) => {
    const team = `${params.org}/${params.team_slug}`.toLowerCase();
    const status = teamsOf(state).get(team)?.get(params.username!.toLowerCase()) ?? notFound();
    return {
      status: 200,
      body: {
        url: `${baseUrl}/orgs/${params.org}/teams/${params.team_slug}/memberships/${params.username}`,
        role: "member",
        state: status,
        user: renderUser(state.user(params.username!), baseUrl),
      },
    };
  },
};
