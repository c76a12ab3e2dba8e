/**
 * The one decision: may this person run this command? Pure, and it FAILS CLOSED — a bot, an
 * unknown permission, an unknown team membership or an unknown pull-request author is a "no".
 * The reason is written for the person who typed the command.
 */
import { meetsPermission, type PermissionLevel } from "./permission-levels.js";
import { type AccessPolicy, formatTeam, type TeamRef } from "./resolve-access-policy.js";

/** A value we tried to look up: known, or unknown because the lookup failed. */
export type Lookup<T> = { known: true; value: T } | { known: false; error: string };

export interface AuthorizationInput {
  /** Human wording of the command, e.g. "`promote iris production`". */
  what: string;
  actor: { login: string; type: string };
  permission: Lookup<PermissionLevel>;
  /** Membership of each approver team, keyed by `org/slug` (missing key = unknown). */
  teamMemberships: ReadonlyMap<string, Lookup<boolean>>;
  /** Author of the pull request the command is on; undefined outside pull requests (then a
   *  self-approval check cannot pass). */
  pullRequestAuthor?: Lookup<string>;
  policy: AccessPolicy;
}

export type DenyRule =
  | "bot"
  | "permission-unknown"
  | "permission-too-low"
  | "team-unknown"
  | "not-approver"
  | "author-unknown"
  | "self-approval";

export type Decision = { allowed: true; reason: string } | { allowed: false; rule: DenyRule; reason: string };

export function authorizeCommand(input: AuthorizationInput): Decision {
  const { actor, policy, what } = input;
  const login = actor.login.toLowerCase();
  if (actor.type !== "User") {
    return deny(
      "bot",
      `${actor.login} is a ${actor.type.toLowerCase()} account; ${what} must come from a person.`,
    );
  }
  if (!input.permission.known) {
    return deny(
      "permission-unknown",
      `I could not check ${actor.login}'s permission on this repository (${input.permission.error}), so ${what} is refused. Please try again later.`,
    );
  }
  const actual = input.permission.value;
  if (!meetsPermission(actual, policy.requiredPermission)) {
    return deny(
      "permission-too-low",
      `${what} needs \`${policy.requiredPermission}\` permission on this repository; ${actor.login} has \`${actual}\`.`,
    );
  }
  const approverCheck = checkApprovers(input, login);
  if (approverCheck) return approverCheck;
  if (policy.forbidSelf) {
    const author = input.pullRequestAuthor ?? { known: false, error: "this is not a pull request" };
    if (!author.known) {
      return deny(
        "author-unknown",
        `I could not check who opened this pull request (${author.error}), so ${what} is refused.`,
      );
    }
    if (author.value.toLowerCase() === login) {
      return deny(
        "self-approval",
        `${actor.login} opened this pull request, and self-approval is not allowed.`,
      );
    }
  }
  return { allowed: true, reason: `${actor.login} has \`${actual}\` permission${approverNote(input)}.` };
}

function checkApprovers(input: AuthorizationInput, login: string): Decision | undefined {
  const { users, teams } = input.policy.approvers;
  if (users.length === 0 && teams.length === 0) return undefined;
  if (users.includes(login)) return undefined;
  const unknown: TeamRef[] = [];
  for (const team of teams) {
    const membership = input.teamMemberships.get(formatTeam(team));
    if (membership?.known && membership.value) return undefined;
    if (!membership?.known) unknown.push(team);
  }
  const list = [...users, ...teams.map(formatTeam)].map((a) => `\`${a}\``).join(", ");
  if (unknown.length > 0) {
    return deny(
      "team-unknown",
      `${input.what} is limited to the approvers (${list}); I could not check ${input.actor.login}'s membership of ${unknown.map((t) => `\`${formatTeam(t)}\``).join(", ")}, so it is refused.`,
    );
  }
  return deny(
    "not-approver",
    `${input.what} is limited to the approvers (${list}); ${input.actor.login} is not one of them.`,
  );
}

function approverNote(input: AuthorizationInput): string {
  const { users, teams } = input.policy.approvers;
  return users.length + teams.length > 0 ? " and is an approver" : "";
}

function deny(rule: DenyRule, reason: string): Decision {
  return { allowed: false, rule, reason };
}
