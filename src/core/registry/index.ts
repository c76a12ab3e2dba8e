export * from "./plan-registry-action.js";
export * from "./registry-state.js";
export * from "./semver.js";
export * from "./tag-grammar.js";
export * from "./tag-message.js";
export * from "./metric-history.js";
