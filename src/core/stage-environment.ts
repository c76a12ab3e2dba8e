/**
 * The environment a stage command runs with: the caller's, minus the credentials a training script
 * has no business reading. A stage runs code from the repository (and its dependencies), so in a
 * workflow it must not see the action's inputs (the commit-back token is `INPUT_TOKEN`), the job's
 * GitHub token, the runner's own tokens (cache, artifacts, OIDC) or cloud keys, unless the stage
 * names a variable in `env_passthrough:`, which is a visible decision in trainyard.yaml.
 */

/** Variables held back from stage commands unless a stage lets them through by name. */
export const WITHHELD_FROM_STAGES: readonly RegExp[] = [
  /^INPUT_/, // every action input, the token among them
  /^(GITHUB_TOKEN|GH_TOKEN|GH_ENTERPRISE_TOKEN)$/,
  /^ACTIONS_.*TOKEN/, // ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN
  /^ACTIONS_ID_TOKEN_REQUEST_URL$/, // with the token above it mints OIDC tokens for cloud roles
  /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|SECURITY_TOKEN)$/,
];

/** A name in `env_passthrough:`: a variable name, or a prefix ending in `*` (e.g. `AWS_*`). */
export const ENV_PASSTHROUGH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;

export function isWithheldFromStages(name: string): boolean {
  return WITHHELD_FROM_STAGES.some((pattern) => pattern.test(name));
}

function passesThrough(name: string, passthrough: readonly string[]): boolean {
  return passthrough.some((entry) =>
    entry.endsWith("*") ? name.startsWith(entry.slice(0, -1)) : name === entry,
  );
}

/** `env` without the withheld variables, except those the stage lets through. */
export function stageEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  passthrough: readonly string[] = [],
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (isWithheldFromStages(name) && !passesThrough(name, passthrough)) continue;
    kept[name] = value;
  }
  return kept;
}
