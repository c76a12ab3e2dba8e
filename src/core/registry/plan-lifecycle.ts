/** Lifecycle events: deregister one version (`name@vX.Y.Z!`), deprecate the artifact (`name@deprecated`). Pure. */
import type { RegistryState } from "./registry-state.js";
import {
  artifactOf,
  liveVersion,
  type MessageFields,
  message,
  type RegistryPlan,
  refuse,
  simpleOrCounted,
} from "./registry-plan.js";

/** Withdraw one version (`iris@v1.3.0!`); its stage assignments lapse with it. */
export function planDeregister(
  state: RegistryState,
  req: { artifact: string; version: string; fields?: MessageFields },
): RegistryPlan {
  const artifact = artifactOf(state, req.artifact);
  if (!artifact) refuse(`${req.artifact} is not in the registry`);
  const v = liveVersion(artifact, req.version);
  const name = simpleOrCounted(artifact, {
    action: "deregister",
    artifact: req.artifact,
    version: v.version,
  });
  return {
    artifact: req.artifact,
    version: v.version,
    overridden: [],
    tags: [
      {
        name,
        commit: v.commit,
        message: {
          ...message(`Deregister ${req.artifact} ${v.version}`, req.fields, []),
          after: artifact.maxCounter,
        },
      },
    ],
  };
}

/** Retire the whole artifact (`iris@deprecated`), tagged on `commit` (usually HEAD). */
export function planDeprecate(
  state: RegistryState,
  req: { artifact: string; commit: string; fields?: MessageFields },
): RegistryPlan {
  const artifact = artifactOf(state, req.artifact);
  if (!artifact) refuse(`${req.artifact} is not in the registry`);
  if (artifact.deprecated) refuse(`${req.artifact} is already deprecated`);
  const name = simpleOrCounted(artifact, { action: "deprecate", artifact: req.artifact });
  return {
    artifact: req.artifact,
    overridden: [],
    tags: [
      {
        name,
        commit: req.commit,
        message: { ...message(`Deprecate ${req.artifact}`, req.fields, []), after: artifact.maxCounter },
      },
    ],
  };
}
