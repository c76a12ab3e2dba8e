/**
 * Loading and validating trainyard.yaml from the working tree.
 * What other layers may import from this folder; everything else here is internal.
 */
export { loadConfig, type LoadedConfig } from "./load-config.js";
