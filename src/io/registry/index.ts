/**
 * The model registry in git tags, model cards, and metrics or params read at a revision.
 * What other layers may import from this folder; everything else here is internal.
 */
export { checkoutVersion, type VersionCheckout } from "./checkout-version.js";
export {
  type CardCheckResult,
  cardPathOf,
  type CardWriteResult,
  checkModelCard,
  regenerateCard,
} from "./model-card.js";
export { loadPolicyConfig } from "./policy-config.js";
export {
  applyPlan,
  checkLockAt,
  checkoutRegistryRef,
  reachableFromDefault,
  readRegistry,
  registrationFields,
  resolveRegistryCheckout,
} from "./registry.js";
export {
  loadConfigAt,
  loadEitherConfig,
  metricsFilesOf,
  readMetricsAt,
  readParamsAt,
  readTextsAt,
  resolveRevision,
  type Revision,
} from "./revision-metrics.js";
export { modelReportsSince, readWorkingTreeMetrics, registeredVersionOn } from "./run-report.js";
export { downloadArtifact, type GotArtifact } from "./get-artifact.js";
export {
  type ResolvedArtifact,
  type ResolvedObject,
  resolveArtifactIn,
  resolveRemoteArtifact,
  resolveVersionIn,
} from "./resolve-artifact.js";
export { get as getArtifact, type ResolveOptions, resolve as resolveArtifact } from "./registry-api.js";
export { branchHeads, CommitMetricsReader, type CommitWalk, listWalkCommits } from "./commit-metrics.js";
