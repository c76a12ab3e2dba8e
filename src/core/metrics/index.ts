export * from "./diff-metrics.js";
export * from "./flatten.js";
export * from "./format-value.js";
export * from "./parse-metrics-file.js";
