/**
 * Registry writes name an artifact: a typo there would become a tag that lives forever (and that
 * the bot and deploys then act on). A name must be declared under `models:` in trainyard.yaml, or
 * already be known to the registry (an artifact registered before it was removed from the config
 * can still be deregistered or deprecated). Without a trainyard.yaml the tags alone decide, as in GTO.
 */
import { didYouMean } from "../config/did-you-mean.js";
import type { Config } from "../config/schema.js";
import { TrainyardError } from "../errors.js";
import type { RegistryState } from "./registry-state.js";
import { isValidArtifactName } from "./tag-grammar.js";

export function assertDeclaredArtifact(
  config: Config | undefined,
  state: RegistryState,
  artifact: string,
): void {
  // An invalid name gets the grammar's own message from the planner.
  if (!config || !isValidArtifactName(artifact)) return;
  if (artifact in config.models || artifact in state.artifacts) return;
  const declared = Object.keys(config.models);
  throw new TrainyardError(
    "registry",
    `"${artifact}" is not declared under models: in trainyard.yaml (declared: ${declared.join(", ") || "none"})${didYouMean(artifact, [...declared, ...Object.keys(state.artifacts)])}; declare it there first, nothing was tagged`,
  );
}
