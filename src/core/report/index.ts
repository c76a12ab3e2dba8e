export * from "./markdown.js";
export * from "./render-chart.js";
export * from "./render-report.js";
export * from "./report-marker.js";
