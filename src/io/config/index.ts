/**
 * Loading and validating trainyard.yaml: one loader, pluggable readers (working tree, git revision;
 * src/github adds the contents API). What other layers may import from this folder.
 */
export { type ConfigReader, revisionReader, workingTreeReader } from "./config-reader.js";
export {
  type LoadedConfig,
  loadConfig,
  type ReadConfigOptions,
  readConfig,
  readParams,
} from "./load-config.js";
export {
  type LoadedProjects,
  listConfigFiles,
  loadWorkingTreeProjects,
  subfolderReader,
} from "./projects.js";
