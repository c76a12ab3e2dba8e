/**
 * The config that decides who may move a model and where: stage order, protected stages,
 * approvers, permissions. On a developer's machine that is the working tree's trainyard.yaml. In
 * GitHub Actions it is the default branch's, fetched from origin: a workflow dispatched from an
 * edited branch must not change the rules it is judged by.
 */
import { readFileSync } from "node:fs";
import type { Config } from "../../core/config/schema.js";
import { toError, TrainyardError } from "../../core/errors.js";
import { gitFailure, runGit, tryResolveCommit, WORKTREE } from "../git/index.js";
import { loadConfigAt } from "./revision-metrics.js";

export async function loadPolicyConfig(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Config | undefined> {
  if (env.GITHUB_ACTIONS !== "true") return loadConfigAt(root, { label: WORKTREE, rev: WORKTREE });
  const branch = defaultBranchFromEvent(env);
  const ref = `refs/remotes/origin/${branch}`;
  const args = ["fetch", "--quiet", "--no-tags", "--depth=1", "origin", `+refs/heads/${branch}:${ref}`];
  const fetched = await runGit(root, args);
  if (fetched.code !== 0) {
    throw gitFailure(`cannot fetch the default branch ${branch} to read the promotion policy`, args, fetched);
  }
  const sha = await tryResolveCommit(root, ref);
  if (!sha) throw new TrainyardError("git", `cannot read the promotion policy: ${ref} does not exist`);
  return loadConfigAt(root, { label: branch, rev: sha, sha });
}

/** Actions writes the triggering event to GITHUB_EVENT_PATH; its repository names the default branch. */
function defaultBranchFromEvent(env: NodeJS.ProcessEnv): string {
  const path = env.GITHUB_EVENT_PATH;
  let branch: unknown;
  try {
    const event = JSON.parse(readFileSync(path ?? "", "utf8")) as {
      repository?: { default_branch?: unknown };
    };
    branch = event.repository?.default_branch;
  } catch (thrown) {
    throw new TrainyardError(
      "usage",
      `cannot read the workflow event (GITHUB_EVENT_PATH): ${toError(thrown).message}`,
    );
  }
  if (typeof branch !== "string" || !/^[\w./-]+$/.test(branch) || branch.includes("..")) {
    throw new TrainyardError("usage", "the workflow event does not name the repository's default branch");
  }
  return branch;
}
