/**
 * Turning files and trees into content ids, fast: streaming hashes, the worker pool, the stat cache.
 * What other layers may import from this folder; everything else here is internal.
 */
export { hashFile } from "./hash-file.js";
export { WorkerPool } from "./hash-files-parallel.js";
export type { FolderChangeMonitor } from "./folder-monitor.js";
export { hashTree } from "./hash-tree.js";
export { StatCache } from "./stat-cache.js";
export { statFile } from "./walk-tree.js";
