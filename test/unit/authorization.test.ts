import { describe, expect, it } from "vitest";
import {
  ACCESS_DEFAULTS,
  authorizeCommand,
  describeCommandPermissions,
  type GuardedAction,
  type Lookup,
  type ModelAccessConfig,
  meetsPermission,
  normalizeRepositoryPermission,
  PERMISSION_LEVELS,
  type PermissionLevel,
  renderPermissionTable,
  resolveAccessPolicy,
  splitApprovers,
} from "../../src/core/authorization/index.js";

const known = <T>(value: T): Lookup<T> => ({ known: true, value });
const unknown: Lookup<never> = { known: false, error: "HTTP 502" };

const iris: ModelAccessConfig = {
  stages: ["dev", "staging", "production"],
  approvers: ["Alice", "@acme/ml-leads"],
};

interface Case {
  name: string;
  action: GuardedAction;
  stage?: string;
  config?: ModelAccessConfig;
  login?: string;
  type?: string;
  permission: Lookup<PermissionLevel>;
  teams?: Record<string, Lookup<boolean>>;
  author?: Lookup<string>;
  expected: true | string; // true = allowed, otherwise the deny rule
}

const cases: Case[] = [
  {
    name: "writer promotes to staging",
    action: "promote",
    stage: "staging",
    permission: known("write"),
    expected: true,
  },
  {
    name: "triager cannot promote to staging",
    action: "promote",
    stage: "staging",
    permission: known("triage"),
    expected: "permission-too-low",
  },
  {
    name: "writer cannot promote to production",
    action: "promote",
    stage: "production",
    permission: known("write"),
    expected: "permission-too-low",
  },
  {
    name: "maintainer promotes to production (no approvers set)",
    action: "promote",
    stage: "production",
    permission: known("maintain"),
    expected: true,
  },
  {
    name: "admin promotes to production",
    action: "promote",
    stage: "production",
    permission: known("admin"),
    expected: true,
  },
  {
    name: "unknown permission denies even for staging",
    action: "promote",
    stage: "staging",
    permission: unknown,
    expected: "permission-unknown",
  },
  {
    name: "a bot with admin is refused",
    action: "promote",
    stage: "staging",
    type: "Bot",
    permission: known("admin"),
    expected: "bot",
  },
  {
    name: "an organization account is refused",
    action: "retrain",
    type: "Organization",
    permission: known("admin"),
    expected: "bot",
  },
  {
    name: "retrain needs write",
    action: "retrain",
    permission: known("read"),
    expected: "permission-too-low",
  },
  { name: "retrain by a writer", action: "retrain", permission: known("write"), expected: true },
  {
    name: "approver user (case-insensitive) promotes production",
    action: "promote",
    stage: "production",
    config: iris,
    login: "alice",
    permission: known("maintain"),
    expected: true,
  },
  {
    name: "approver must still have the permission",
    action: "promote",
    stage: "production",
    config: iris,
    login: "alice",
    permission: known("write"),
    expected: "permission-too-low",
  },
  {
    name: "non-approver maintainer refused for production",
    action: "promote",
    stage: "production",
    config: iris,
    login: "mallory",
    permission: known("admin"),
    teams: { "acme/ml-leads": known(false) },
    expected: "not-approver",
  },
  {
    name: "team member approver",
    action: "promote",
    stage: "production",
    config: iris,
    login: "bob",
    permission: known("maintain"),
    teams: { "acme/ml-leads": known(true) },
    expected: true,
  },
  {
    name: "team lookup failed → refused",
    action: "promote",
    stage: "production",
    config: iris,
    login: "bob",
    permission: known("maintain"),
    teams: { "acme/ml-leads": unknown },
    expected: "team-unknown",
  },
  {
    name: "team never looked up → refused",
    action: "promote",
    stage: "production",
    config: iris,
    login: "bob",
    permission: known("maintain"),
    expected: "team-unknown",
  },
  {
    name: "approvers do not restrict staging",
    action: "promote",
    stage: "staging",
    config: iris,
    login: "mallory",
    permission: known("write"),
    expected: true,
  },
  {
    name: "rollback of production is gated like promote",
    action: "rollback",
    stage: "production",
    config: iris,
    login: "mallory",
    permission: known("admin"),
    teams: { "acme/ml-leads": known(false) },
    expected: "not-approver",
  },
  {
    name: "approve by approver on someone else's PR",
    action: "approve",
    config: iris,
    login: "alice",
    permission: known("maintain"),
    author: known("carol"),
    expected: true,
  },
  {
    name: "self-approval refused",
    action: "approve",
    config: iris,
    login: "alice",
    permission: known("maintain"),
    author: known("ALICE"),
    expected: "self-approval",
  },
  {
    name: "self-approval allowed by config",
    action: "approve",
    config: { ...iris, allow_self_approval: true },
    login: "alice",
    permission: known("maintain"),
    author: known("alice"),
    expected: true,
  },
  {
    name: "unknown PR author refused",
    action: "approve",
    config: iris,
    login: "alice",
    permission: known("maintain"),
    author: unknown,
    expected: "author-unknown",
  },
  {
    name: "approve outside a pull request refused",
    action: "approve",
    config: iris,
    login: "alice",
    permission: known("maintain"),
    expected: "author-unknown",
  },
  {
    name: "approve needs maintain by default",
    action: "approve",
    login: "dave",
    permission: known("write"),
    author: known("carol"),
    expected: "permission-too-low",
  },
  {
    name: "per-stage permission override",
    action: "promote",
    stage: "staging",
    config: { permissions: { staging: "admin" } },
    permission: known("maintain"),
    expected: "permission-too-low",
  },
  {
    name: "the last configured stage is production and is gated",
    action: "promote",
    stage: "prod",
    config: { ...iris, stages: ["staging", "prod"] },
    login: "mallory",
    permission: known("admin"),
    teams: { "acme/ml-leads": known(false) },
    expected: "not-approver",
  },
  {
    name: "'production' is an ordinary stage when `protected` names another",
    action: "promote",
    stage: "production",
    config: { ...iris, stages: ["staging", "production", "prod"], protected: ["prod"] },
    login: "mallory",
    permission: known("write"),
    expected: true,
  },
  {
    name: "a stage after production (archive) is not protected by default",
    action: "promote",
    stage: "archive",
    config: { ...iris, stages: ["dev", "production", "archive"] },
    login: "mallory",
    permission: known("write"),
    expected: true,
  },
  {
    name: "production stays protected when a stage follows it",
    action: "promote",
    stage: "production",
    config: { ...iris, stages: ["dev", "production", "archive"] },
    login: "mallory",
    permission: known("maintain"),
    teams: { "acme/ml-leads": known(false) },
    expected: "not-approver",
  },
  {
    name: "no approvers on a protected stage means maintainers only, whatever `permissions` says",
    action: "promote",
    stage: "production",
    config: { stages: ["dev", "production"], approvers: [], permissions: { production: "write" } },
    login: "mallory",
    permission: known("write"),
    expected: "permission-too-low",
  },
];

describe("authorizeCommand (table)", () => {
  it.each(cases)("$name", (c) => {
    const decision = authorizeCommand({
      what: `\`${c.action}\``,
      actor: { login: c.login ?? "someone", type: c.type ?? "User" },
      permission: c.permission,
      teamMemberships: new Map(Object.entries(c.teams ?? {})),
      ...(c.author ? { pullRequestAuthor: c.author } : {}),
      policy: resolveAccessPolicy(c.config, c.action, c.stage),
    });
    if (c.expected === true) expect(decision).toMatchObject({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, rule: c.expected });
    expect(decision.reason.length).toBeGreaterThan(10);
  });
});

describe("authorizeCommand (exhaustive: allowed ⇒ every condition holds)", () => {
  const permissions: Lookup<PermissionLevel>[] = [...PERMISSION_LEVELS.map((p) => known(p)), unknown];
  const memberships: (Lookup<boolean> | undefined)[] = [known(true), known(false), unknown, undefined];
  const authors: (Lookup<string> | undefined)[] = [known("alice"), known("carol"), unknown, undefined];
  const targets: [GuardedAction, string | undefined][] = [
    ["promote", "staging"],
    ["promote", "production"],
    ["rollback", "production"],
    ["approve", undefined],
    ["retrain", undefined],
  ];
  const logins = ["alice", "bob"];
  const types = ["User", "Bot"];
  const configs: (ModelAccessConfig | undefined)[] = [
    undefined,
    iris,
    { ...iris, allow_self_approval: true },
  ];

  it("checks every combination", () => {
    let count = 0;
    let allowedCount = 0;
    for (const [action, stage] of targets)
      for (const config of configs)
        for (const permission of permissions)
          for (const membership of memberships)
            for (const author of authors)
              for (const login of logins)
                for (const type of types) {
                  count++;
                  const policy = resolveAccessPolicy(config, action, stage);
                  const decision = authorizeCommand({
                    what: action,
                    actor: { login, type },
                    permission,
                    teamMemberships: new Map(membership ? [["acme/ml-leads", membership]] : []),
                    ...(author ? { pullRequestAuthor: author } : {}),
                    policy,
                  });
                  if (!decision.allowed) continue;
                  allowedCount++;
                  expect(type).toBe("User");
                  expect(
                    permission.known && meetsPermission(permission.value, policy.requiredPermission),
                  ).toBe(true);
                  const gated = policy.approvers.users.length + policy.approvers.teams.length > 0;
                  if (gated) expect(login === "alice" || (membership?.known && membership.value)).toBe(true);
                  if (policy.forbidSelf) expect(author?.known && author.value !== login).toBe(true);
                }
    expect(count).toBe(5 * 3 * 7 * 4 * 4 * 2 * 2);
    expect(allowedCount).toBeGreaterThan(0);
  });
});

describe("permissions and policy", () => {
  it.each([
    [{ permission: "admin", role_name: "admin" }, "admin"],
    [{ permission: "write", role_name: "maintain" }, "maintain"],
    [{ permission: "read", role_name: "triage" }, "triage"],
    [{ permission: "write", role_name: "release-manager" }, "write"],
    [{ permission: "push" }, "write"],
    [{ permission: "pull" }, "read"],
    [{ permission: "none", role_name: "none" }, "none"],
    [{ permission: "superuser" }, undefined],
    [{}, undefined],
    [{ permission: 3 }, undefined],
  ])("normalizeRepositoryPermission(%j) = %s", (answer, expected) => {
    expect(normalizeRepositoryPermission(answer)).toBe(expected);
  });

  it("splits approvers into users and org teams", () => {
    for (const bad of ["/x", "x/", "", " ", "@", "acme/", "a b", "acme/team/x"]) {
      expect(() => splitApprovers(["alice", bad])).toThrow(/neither a GitHub login nor an org\/team/);
    }
    expect(splitApprovers(["Alice", "@Bob", "acme/ML-Leads", "@acme/ops"])).toEqual({
      users: ["alice", "bob"],
      teams: [
        { org: "acme", slug: "ml-leads" },
        { org: "acme", slug: "ops" },
      ],
    });
  });

  it("the permission table is generated from the enforced defaults", () => {
    const table = renderPermissionTable(describeCommandPermissions());
    expect(table).toContain(`\`/trainyard promote <model> ${ACCESS_DEFAULTS.productionStage}\``);
    expect(table).toContain(`| \`${ACCESS_DEFAULTS.productionPermission}\` |`);
    expect(table).toContain(`| \`${ACCESS_DEFAULTS.stagePermission}\` |`);
    expect(table).toContain("| `/trainyard exp <key=values>…` / `exp apply <name>` | `write` |");
    expect(table.split("\n").filter((l) => l.startsWith("| `/trainyard"))).toHaveLength(6);
  });
});
