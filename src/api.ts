/**
 * `import … from "trainyard/api"`: the model registry of a local clone, for scripts and services
 * that deploy what the registry names (`iris#production`, `iris@latest`, `iris@v1.3.0`).
 * Everything here reads git tags only; nothing writes.
 */
export type {
  ArtifactState,
  RegistryState,
  StageHolder,
  VersionState,
} from "./core/registry/registry-state.js";
export { findVersion } from "./core/registry/registry-state.js";
export { parseRegistryRef, type RegistryRef } from "./core/registry/tag-grammar.js";
// readRegistry(root): every artifact's versions and stages, from the repository's tags.
// resolveRegistryCheckout(root, "iris#production"): the version and commit a reference names.
export { readRegistry, resolveRegistryCheckout } from "./io/registry/index.js";
export type { GotArtifact, ResolvedArtifact, ResolvedObject } from "./io/registry/index.js";
export { getArtifact as get, resolveArtifact as resolve } from "./io/registry/index.js";
