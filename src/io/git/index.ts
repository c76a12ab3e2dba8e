/**
 * Running git and finding the repository: revisions, tags, identity, init and commit-back.
 * What other layers may import from this folder; everything else here is internal.
 */
export { blobIdAt, readBytesAt } from "./blob-at.js";
export { commitBack } from "./commit-back.js";
export { branchToCommitTo, runResultPaths } from "./commit-target.js";
export { GIT_TOKEN_VARIABLE, gitCredentialEnv } from "./credential-env.js";
export {
  changedPaths,
  checkoutDetached,
  createAnnotatedTag,
  currentHeadRef,
  currentIdentity,
  defaultBranch,
  type Identity,
  isAncestor,
  listTags,
  modifiedTrackedFiles,
  pushTags,
  readFileAt,
  resolveCommit,
  returnToHead,
  startListingTags,
  tryResolveCommit,
  WORKTREE,
} from "./git.js";
export { initRepo, STATE_GITIGNORE } from "./init-repo.js";
export {
  catFileBatch,
  type GitOptions,
  type GitResult,
  gitFailure,
  mustGit,
  runGit,
  runGitQuery,
  runGitSync,
} from "./run-git.js";
export { discardEarlyGitQueries } from "./early-git-query.js";
export {
  findRepoRoot,
  gitTopLevel,
  openRepo,
  projectRootWithoutGit,
  type Repo,
  resolveStoreDir,
} from "./repo.js";
export { lsRemoteTags, openRemoteSnapshot, type RemoteSnapshot } from "./remote-snapshot.js";
export { appliedExperimentAt } from "./applied-experiment.js";
