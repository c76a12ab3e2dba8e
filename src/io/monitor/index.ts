/**
 * Drift monitoring of a deployed model's metrics.
 * What other layers may import from this folder; everything else here is internal.
 */
export { MONITOR_EXIT_DRIFT, runMonitor } from "./run-monitor.js";
