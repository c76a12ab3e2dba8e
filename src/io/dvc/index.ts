/**
 * Moving a DVC project to Trainyard (`trainyard init --from-dvc`).
 * What other layers may import from this folder; everything else here is internal.
 */
export { type DvcImportResult, importDvcProject } from "./import-dvc-project.js";
