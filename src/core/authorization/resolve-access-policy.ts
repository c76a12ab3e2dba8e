/**
 * Who may do what, from a model's config and Trainyard's defaults. Pure.
 *
 * The defaults live in one `as const` object so the help reply and the README table are
 * generated from the same values the bot enforces.
 */
import type { PermissionLevel } from "./permission-levels.js";

export const ACCESS_DEFAULTS = {
  /** The stages when config names none; the last one is production (approval-gated, `maintain`). */
  stages: ["dev", "staging", "production"],
  productionStage: "production",
  productionPermission: "maintain",
  stagePermission: "write",
  retrainPermission: "write",
  allowSelfApproval: false,
} as const satisfies {
  stages: readonly string[];
  productionStage: string;
  productionPermission: PermissionLevel;
  stagePermission: PermissionLevel;
  retrainPermission: PermissionLevel;
  allowSelfApproval: boolean;
};

/** The slice of `models.<name>` that access control reads (structural, so any config type fits). */
export interface ModelAccessConfig {
  /** Stages in promotion order; the last is production. */
  stages?: readonly string[];
  /** Users (`login`) and org teams (`org/team-slug`) who may approve/promote production. */
  approvers?: readonly string[];
  /** Required repository permission per stage, overriding the defaults. */
  permissions?: Readonly<Record<string, PermissionLevel>>;
  /** May the author of a pull request approve it? Default false. */
  allow_self_approval?: boolean;
}

export type GuardedAction = "promote" | "approve" | "rollback" | "retrain";

export interface AccessPolicy {
  requiredPermission: PermissionLevel;
  /** Empty when the action is not approval-gated (then the permission level alone decides). */
  approvers: { users: readonly string[]; teams: readonly TeamRef[] };
  /** True when the pull request's author must not be the one who acts. */
  forbidSelf: boolean;
}

export interface TeamRef {
  org: string;
  slug: string;
}

/** Production is the last stage in promotion order (`production` with the default stages). */
export function productionStageOf(config: ModelAccessConfig | undefined): string {
  return config?.stages?.at(-1) ?? ACCESS_DEFAULTS.productionStage;
}

export function requiredPermissionFor(config: ModelAccessConfig | undefined, stage: string): PermissionLevel {
  const configured = config?.permissions?.[stage];
  if (configured) return configured;
  return stage === productionStageOf(config)
    ? ACCESS_DEFAULTS.productionPermission
    : ACCESS_DEFAULTS.stagePermission;
}

/**
 * `approve` is an approval of production; `promote`/`rollback` target `stage`; `retrain` has none.
 */
export function resolveAccessPolicy(
  config: ModelAccessConfig | undefined,
  action: GuardedAction,
  stage?: string,
): AccessPolicy {
  const none = { users: [], teams: [] };
  if (action === "retrain") {
    return { requiredPermission: ACCESS_DEFAULTS.retrainPermission, approvers: none, forbidSelf: false };
  }
  const target = action === "approve" ? productionStageOf(config) : (stage ?? productionStageOf(config));
  const gated = target === productionStageOf(config);
  return {
    requiredPermission: requiredPermissionFor(config, target),
    approvers: gated ? splitApprovers(config?.approvers ?? []) : none,
    forbidSelf: action === "approve" && !(config?.allow_self_approval ?? ACCESS_DEFAULTS.allowSelfApproval),
  };
}

/** `alice`, `@alice` → user; `org/team`, `@org/team` → team. Logins compare case-insensitively. */
export function splitApprovers(entries: readonly string[]): AccessPolicy["approvers"] {
  const users: string[] = [];
  const teams: TeamRef[] = [];
  for (const raw of entries) {
    const entry = raw.trim().replace(/^@/, "");
    const slash = entry.indexOf("/");
    if (slash > 0 && slash < entry.length - 1) {
      teams.push({ org: entry.slice(0, slash).toLowerCase(), slug: entry.slice(slash + 1).toLowerCase() });
    } else if (entry && slash === -1) {
      users.push(entry.toLowerCase());
    }
  }
  return { users, teams };
}

export function formatTeam(team: TeamRef): string {
  return `${team.org}/${team.slug}`;
}
