export * from "./authorize-command.js";
export * from "./permission-levels.js";
export * from "./resolve-access-policy.js";
export * from "./describe-command-permissions.js";
