export * from "./bot-markers.js";
export * from "./check-conclusion.js";
export * from "./decide-deployment.js";
export * from "./find-changed-models.js";
export * from "./plan-merge-registration.js";
export * from "./plan-deployment.js";
