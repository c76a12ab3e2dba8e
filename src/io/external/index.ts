/**
 * Data outside the repository: external deps (s3://, https://, absolute paths) read by version,
 * and the import use cases (`import-url`, `import`, `update`) that bring it into the store.
 * What other layers may import from this folder; everything else here is internal. Loaded on
 * demand (the AWS SDK comes with it), only by commands and stages that name external data.
 */
export { observeExternalDep } from "./observe-external.js";
export { type ImportOutcome, type ImportUrlOptions, importUrl } from "./import-url.js";
export { importArtifact, updateImports } from "./update-imports.js";
