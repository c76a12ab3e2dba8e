/**
 * A file-system monitor (watchman) that lets read-only commands skip walking folders nobody touched.
 * What other layers may import from this folder; everything else here is internal.
 */
export { ChangeMonitor, FSMONITOR_ENV, type OpenedMonitor } from "./change-monitor.js";
