/**
 * `/trainyard exp apply <name>` on a pull request, for writers: the experiment's recorded files
 * (params, lock, metrics, plots) become one commit on the pull request's branch, made with the Git
 * Data API (so GitHub signs it) and moved with a fast-forward only, never a force-push. Nothing is
 * retrained: the lock names the outs the matrix job pushed to the store, and the run on the new
 * commit restores them instead of running a stage. The experiment must start from the branch's
 * current head; anything else is refused and nothing changes.
 */
import { resolveAccessPolicy } from "../../core/authorization/index.js";
import {
  experimentRef,
  experimentTrailer,
  foreignExperimentFiles,
  parseExperimentMessage,
} from "../../core/experiments/index.js";
import { authorizeActor } from "../authorize-actor.js";
import { type GitHubClient, httpStatus } from "../client.js";
import { readPullHead } from "../experiments/read-pull-head.js";
import { loadConfigAtRef } from "../load-repo-config.js";
import { type CommandEnv, type CommandResult, denied, NOTHING_CHANGED, refused } from "./command-env.js";

export async function runExperimentApply(env: CommandEnv, name: string): Promise<CommandResult> {
  if (!env.issue.isPull) return refused("`exp apply` works on a pull request: it commits to its branch.");
  const decision = await authorizeActor(env.api, {
    owner: env.owner,
    repo: env.repo,
    what: `\`exp apply ${name}\``,
    actor: env.actor,
    policy: resolveAccessPolicy(undefined, "experiment"),
  });
  if (!decision.allowed) return denied(decision);
  const { api, owner, repo } = env;
  const head = await readPullHead(api, { owner, repo, pull: env.issue.number });
  if (!head.ok) return refused(`${head.reason}. ${NOTHING_CHANGED}`);

  // The branch itself, not the pull request's idea of its head, which can lag a push: the commit
  // lands on this tip by fast-forward, so the experiment must start from exactly this tip.
  const { data: branchRef } = await api.rest.git.getRef({ owner, repo, ref: `heads/${head.branch}` });
  const tip = branchRef.object.sha;
  const expCommit = await readExperimentCommit(api, { owner, repo }, experimentRef(tip, name));
  if (!expCommit) {
    return refused(
      `there is no experiment \`${name}\` on this pull request's head ${tip.slice(0, 7)} (the experiments comment lists them; after a new push, run \`exp\` again). ${NOTHING_CHANGED}`,
    );
  }
  if (expCommit.parents.length !== 1 || expCommit.parents[0] !== tip) {
    return refused(`experiment \`${name}\` is not a single commit on ${tip.slice(0, 7)}. ${NOTHING_CHANGED}`);
  }
  const config = await loadConfigAtRef(api, { owner, repo, ref: tip });
  if (!config) return refused(`there is no trainyard.yaml at ${tip.slice(0, 7)}. ${NOTHING_CHANGED}`);
  const changed = await changedPaths(api, { owner, repo }, expCommit.parentTree, expCommit.tree);
  if (!changed)
    return refused(`the experiment's tree is too large to compare through the API. ${NOTHING_CHANGED}`);
  const foreign = foreignExperimentFiles(config, changed);
  if (foreign.length) {
    return refused(
      `experiment \`${name}\` changes ${foreign.map((f) => `\`${f}\``).join(", ")}, which \`exp run\` never records, so it is not applied. ${NOTHING_CHANGED}`,
    );
  }
  const record = parseExperimentMessage(expCommit.message);
  const summary = record?.overrides.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ") ?? "";
  const { data: commit } = await api.rest.git.createCommit({
    owner,
    repo,
    message: `trainyard: apply experiment ${name}${summary ? `\n\n${summary}` : ""}\n\n${experimentTrailer(name, expCommit.sha)}\nRequested-by: ${env.actor.login} on #${env.issue.number}\n`,
    tree: expCommit.tree,
    parents: [tip],
  });
  try {
    await api.rest.git.updateRef({ owner, repo, ref: `heads/${head.branch}`, sha: commit.sha, force: false });
  } catch (error) {
    if (httpStatus(error) === 422)
      return refused(
        `the branch moved while I was applying \`${name}\`; run \`exp\` on the new head. ${NOTHING_CHANGED}`,
      );
    throw error;
  }
  return {
    ok: true,
    message: `committed experiment \`${name}\` (${changed.map((f) => `\`${f}\``).join(", ")}) to \`${head.branch}\` as ${commit.sha.slice(0, 7)}. Its outs are in the store: the run on that commit restores them, nothing is retrained.`,
  };
}

interface ExperimentCommit {
  sha: string;
  tree: string;
  parents: string[];
  parentTree: string;
  message: string;
}

async function readExperimentCommit(
  api: GitHubClient,
  where: { owner: string; repo: string },
  ref: string,
): Promise<ExperimentCommit | undefined> {
  let sha: string;
  try {
    const { data } = await api.rest.git.getRef({ ...where, ref: ref.slice("refs/".length) });
    if (data.object.type !== "commit") return undefined;
    sha = data.object.sha;
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
  const { data: commit } = await api.rest.git.getCommit({ ...where, commit_sha: sha });
  const parents = commit.parents.map((p) => p.sha);
  const { data: parent } = await api.rest.git.getCommit({ ...where, commit_sha: parents[0] ?? sha });
  return { sha, tree: commit.tree.sha, parents, parentTree: parent.tree.sha, message: commit.message };
}

/** Paths whose blob differs between two trees (added, changed or removed); undefined when GitHub truncates a tree. */
async function changedPaths(
  api: GitHubClient,
  where: { owner: string; repo: string },
  before: string,
  after: string,
): Promise<string[] | undefined> {
  const read = async (tree: string) => {
    const { data } = await api.rest.git.getTree({ ...where, tree_sha: tree, recursive: "true" });
    if (data.truncated) return undefined;
    return new Map(
      data.tree
        .filter((e) => e.type === "blob" && e.path)
        .map((e) => [e.path as string, `${e.mode}:${e.sha}`]),
    );
  };
  const [a, b] = await Promise.all([read(before), read(after)]);
  if (!a || !b) return undefined;
  return [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
}
