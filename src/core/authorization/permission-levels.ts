/**
 * GitHub repository permission levels, ordered, and the normalisation of what the
 * collaborator-permission API answers. Pure.
 */

export const PERMISSION_LEVELS = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

export function isPermissionLevel(value: unknown): value is PermissionLevel {
  return typeof value === "string" && (PERMISSION_LEVELS as readonly string[]).includes(value);
}

export function permissionRank(level: PermissionLevel): number {
  return PERMISSION_LEVELS.indexOf(level);
}

export function meetsPermission(actual: PermissionLevel, required: PermissionLevel): boolean {
  return permissionRank(actual) >= permissionRank(required);
}

// The API's `permission` field is the legacy triple (admin/write/read/none); older answers and
// some clients use push/pull. It can only under-state a role, so it is the safe fallback.
const LEGACY: Readonly<Record<string, PermissionLevel>> = {
  admin: "admin",
  maintain: "maintain",
  write: "write",
  push: "write",
  triage: "triage",
  read: "read",
  pull: "read",
  none: "none",
};

/**
 * The level to trust from `GET /repos/{o}/{r}/collaborators/{u}/permission`.
 * `role_name` carries maintain/triage that `permission` flattens; a custom role name is not a
 * level we know, so we fall back to the (lower or equal) legacy `permission`. Unrecognised
 * values everywhere → undefined, which callers must treat as "unknown", i.e. deny.
 */
export function normalizeRepositoryPermission(answer: {
  permission?: unknown;
  role_name?: unknown;
}): PermissionLevel | undefined {
  if (isPermissionLevel(answer.role_name)) return answer.role_name;
  if (typeof answer.permission === "string") return LEGACY[answer.permission];
  return undefined;
}
