export * from "./build-monitor-report.js";
export * from "./column-values.js";
export * from "./feature-drift.js";
export * from "./parse-csv-table.js";
export * from "./render-monitor-markdown.js";
