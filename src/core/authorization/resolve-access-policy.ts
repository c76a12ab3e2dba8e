/**
 * Who may do what, from a model's config and Trainyard's defaults. Pure.
 *
 * The defaults live in one `as const` object so the help reply and the README table are
 * generated from the same values the bot enforces.
 */
import { APPROVER_PATTERN } from "../config/schema.js";
import { TrainyardError } from "../errors.js";
import { approvalStageOf, isProtectedStage, type ProtectedStagesConfig } from "../config/protected-stages.js";
import { meetsPermission, type PermissionLevel } from "./permission-levels.js";

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
export interface ModelAccessConfig extends ProtectedStagesConfig {
  /** Users (`login`) and org teams (`org/team-slug`) who may approve/promote protected stages. */
  approvers?: readonly string[];
  /** Required repository permission per stage, overriding the defaults. */
  permissions?: Readonly<Record<string, PermissionLevel>>;
  /** May the author of a pull request approve it? Default false. */
  allow_self_approval?: boolean;
}

/** `experiment`: dispatching a sweep or committing an experiment to a pull request's branch. */
export type GuardedAction = "promote" | "approve" | "rollback" | "retrain" | "experiment";

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

/** The stage `/trainyard approve` and deployment reviews stand for (see protected-stages.ts). */
export function productionStageOf(config: ModelAccessConfig | undefined): string {
  return approvalStageOf(config);
}

/**
 * A protected stage needs `maintain` unless configured otherwise — and with no approvers listed,
 * never less than `maintain`: an empty list means maintainers and admins only, not "anyone".
 */
export function requiredPermissionFor(config: ModelAccessConfig | undefined, stage: string): PermissionLevel {
  const configured = config?.permissions?.[stage];
  if (!isProtectedStage(config, stage)) return configured ?? ACCESS_DEFAULTS.stagePermission;
  const floor = ACCESS_DEFAULTS.productionPermission;
  if (!configured) return floor;
  const approvers = splitApprovers(config?.approvers ?? []);
  const open = approvers.users.length === 0 && approvers.teams.length === 0;
  return open && !meetsPermission(configured, floor) ? floor : configured;
}

/**
 * `approve` is an approval of the protected stage; `promote`/`rollback` target `stage`;
 * `retrain` has none.
 */
export function resolveAccessPolicy(
  config: ModelAccessConfig | undefined,
  action: GuardedAction,
  stage?: string,
): AccessPolicy {
  const none = { users: [], teams: [] };
  // Running or applying experiments writes to the PR's branch at most: what a writer may do anyway.
  if (action === "retrain" || action === "experiment") {
    return { requiredPermission: ACCESS_DEFAULTS.retrainPermission, approvers: none, forbidSelf: false };
  }
  const target = action === "approve" ? approvalStageOf(config) : (stage ?? approvalStageOf(config));
  const gated = isProtectedStage(config, target);
  return {
    requiredPermission: requiredPermissionFor(config, target),
    approvers: gated ? splitApprovers(config?.approvers ?? []) : none,
    forbidSelf: action === "approve" && !(config?.allow_self_approval ?? ACCESS_DEFAULTS.allowSelfApproval),
  };
}

/**
 * `alice`, `@alice` → user; `org/team`, `@org/team` → team. Logins compare case-insensitively.
 * A malformed entry throws rather than being dropped: dropping one would widen who may approve
 * (trainyard.yaml validation reports it first, with its position).
 */
export function splitApprovers(entries: readonly string[]): AccessPolicy["approvers"] {
  const users: string[] = [];
  const teams: TeamRef[] = [];
  for (const raw of entries) {
    if (!APPROVER_PATTERN.test(raw)) {
      throw new TrainyardError(
        "config",
        `approvers: ${JSON.stringify(raw)} is neither a GitHub login nor an org/team`,
      );
    }
    const entry = raw.replace(/^@/, "").toLowerCase();
    const [org, slug] = entry.split("/");
    if (slug !== undefined) teams.push({ org: org as string, slug });
    else users.push(entry);
  }
  return { users, teams };
}

export function formatTeam(team: TeamRef): string {
  return `${team.org}/${team.slug}`;
}
