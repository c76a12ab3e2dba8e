export * from "./markdown.js";
export * from "./render-chart.js";
export * from "./render-report.js";
export * from "./report-marker.js";
export * from "./metric-direction.js";
export * from "./render-metrics-table.js";
export * from "./iterations.js";
