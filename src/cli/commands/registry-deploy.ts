/**
 * `registry promote|rollback --deploy`: the same deploy path as the bot and the promote action. A
 * stage with a deploy hook gets a GitHub deployment of the version's commit (policy from the
 * default branch when run in Actions), which the deploy workflow picks up. The token and the
 * repository are checked before any tag is written, so a refused deploy changes nothing.
 */
import { withQualifiedModelNames } from "../../core/projects.js";
import { TrainyardError } from "../../core/errors.js";
import type { StageAssignment } from "../../core/promotion/plan-deployment.js";
import { createGitHubClient } from "../../github/client.js";
import { deployAssignments, type StartedDeployment } from "../../github/model-deployments.js";
import { runGit } from "../../io/git/index.js";
import { loadPolicyConfig } from "../../io/registry/index.js";

export interface DeployTarget {
  token: string;
  owner: string;
  repo: string;
}

/** `owner/repo` from a GitHub remote URL (https, ssh or scp-like), else undefined. */
export function repositoryOfUrl(url: string): { owner: string; repo: string } | undefined {
  const match = /[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match?.[1] && match[2] ? { owner: match[1], repo: match[2] } : undefined;
}

/** Where deployments go and the token that may create them; a usage error saying what is missing. */
export async function deployTarget(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DeployTarget> {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) {
    throw new TrainyardError(
      "usage",
      "--deploy creates a GitHub deployment and needs a token with deployments: write in GITHUB_TOKEN (or GH_TOKEN); nothing was changed",
    );
  }
  const named = env.GITHUB_REPOSITORY?.split("/");
  if (named?.length === 2 && named[0] && named[1]) return { token, owner: named[0], repo: named[1] };
  const origin = await runGit(root, ["remote", "get-url", "origin"]);
  const fromUrl = origin.code === 0 ? repositoryOfUrl(origin.stdout) : undefined;
  if (!fromUrl) {
    throw new TrainyardError(
      "usage",
      "--deploy cannot tell which GitHub repository to deploy in: set GITHUB_REPOSITORY=owner/repo or add an origin remote on GitHub; nothing was changed",
    );
  }
  return { token, ...fromUrl };
}

/** The deployment for one assignment, or undefined when its stage has no deploy hook. */
export async function deployAssignment(
  root: string,
  dir: string,
  target: DeployTarget,
  assignment: StageAssignment,
): Promise<StartedDeployment | undefined> {
  const config = await loadPolicyConfig(root);
  const policy = config && withQualifiedModelNames({ dir, config });
  const api = createGitHubClient({ token: target.token });
  const [started] = await deployAssignments(api, { owner: target.owner, repo: target.repo }, policy, [
    assignment,
  ]);
  return started;
}
