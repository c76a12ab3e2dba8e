/**
 * Deploying a registered version: fetch it verified, run the deploy hook on it.
 * What other layers may import from this folder; everything else here is internal.
 */
export { fetchVerifiedVersion } from "./fetch-version.js";
export { DEPLOY_ENV, type DeployedModel, type HookResult, runDeployHook } from "./run-deploy-hook.js";
