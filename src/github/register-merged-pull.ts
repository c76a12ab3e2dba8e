/**
 * A pull request merged into the default branch → for each model whose artifacts changed and
 * whose gates passed: the next version tag and the first-stage tag on the merge commit
 * (annotated, through the git data API), an optional Release with the model card, a GitHub
 * deployment when the default branch's trainyard.yaml has a deploy hook for that stage, and one
 * comment saying what was registered — or why not. Idempotent: a redelivery finds its tags.
 */
import type { ModelConfig } from "../core/config/schema.js";
import {
  inProject,
  owningProject,
  type Project,
  qualifiedModels,
  qualifiedName,
  relativeToProject,
} from "../core/projects.js";
import { LOCK_FILE, type Lock, parseLock } from "../core/lock.js";
import { type FlatRecord, parseMetricsText } from "../core/metrics/index.js";
import { POINTER_SUFFIX } from "../core/pointer.js";
import {
  collectArtifactHashes,
  findChangedModels,
  type MarkerTrust,
  type MergeOutcome,
  planMergeRegistration,
  verdictsFromCheckRuns,
} from "../core/promotion/index.js";
import { codeSpan, inlineText } from "../core/trust/index.js";
import type { GitHubClient } from "./client.js";
import { createAnnotatedTag } from "./git-tags.js";
import { loadConfigAtRef, loadProjectsAtRef } from "./load-repo-config.js";
import { deployAssignments, type StartedDeployment } from "./model-deployments.js";
import { readTextAtRef } from "./read-file-at-ref.js";
import { readRegistry } from "./read-registry.js";
import { createModelRelease } from "./releases.js";
import { signedSticky, upsertStickyComment } from "./upsert-sticky-comment.js";

/** The merge comment's sticky purpose (its signed marker also names the merge commit). */
export const MERGE_COMMENT_PURPOSE = "merge-registration";

export interface MergedPull {
  owner: string;
  repo: string;
  number: number;
  mergeSha: string;
  headSha: string;
  mergedBy: string;
  /** The branch the pull request was merged into (the default branch): its trainyard.yaml is the deploy policy. */
  defaultBranch: string;
}

/** Registers what the merge changed, judged by our own app's checks (`trust.us`) on the head. */
export async function registerMergedPull(
  api: GitHubClient,
  pull: MergedPull,
  trust: MarkerTrust,
): Promise<MergeOutcome[]> {
  const { owner, repo, mergeSha } = pull;
  const where = { owner, repo };
  // Each project is judged by its own config at the merge commit (the default branch's policy).
  const found = await loadProjectsAtRef(api, { ...where, ref: mergeSha });
  const projects = found.projects.filter((p): p is Project => "config" in p);
  if (projects.every((p) => Object.keys(p.config.models).length === 0)) return [];
  const { data: commit } = await api.rest.git.getCommit({ ...where, commit_sha: mergeSha });
  const parent = commit.parents[0]?.sha;
  const dirs = found.projects.map((p) => p.dir);
  const [base, head] = await Promise.all([
    parent ? artifactsAt(api, where, dirs, parent) : new Map<string, Map<string, string>>(),
    artifactsAt(api, where, dirs, mergeSha, commit.tree.sha),
  ]);
  const changed = projects.flatMap((p) =>
    findChangedModels(p.config.models, base.get(p.dir) ?? new Map(), head.get(p.dir) ?? new Map()).map(
      (name) => qualifiedName(p.dir, name),
    ),
  );
  if (changed.length === 0) return [];
  const models = Object.assign({}, ...projects.map(qualifiedModels)) as Record<string, ModelConfig>;

  const { data: checks } = await api.rest.checks.listForRef({
    ...where,
    ref: pull.headSha,
    app_id: trust.us.appId,
    per_page: 100,
  });
  const outcomes = planMergeRegistration({
    models,
    changed,
    verdicts: verdictsFromCheckRuns(checks.check_runs, trust.us),
    registry: await readRegistry(api, where, changed),
    mergeSha,
    pull: { number: pull.number, mergedBy: pull.mergedBy },
    metrics: await metricsAt(api, where, mergeSha, models, changed),
  });
  const releases = new Map<string, string>();
  const deployments: StartedDeployment[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind !== "register") continue;
    for (const tag of outcome.tags) {
      await createAnnotatedTag(api, { ...where, name: tag.name, message: tag.message, commit: tag.commit });
    }
    const model = models[outcome.model];
    if (model?.release) {
      const card = model.card
        ? await readTextAtRef(api, { ...where, path: model.card, ref: mergeSha })
        : undefined;
      const release = await createModelRelease(api, {
        ...where,
        tag: outcome.tags[0]!.name,
        name: `${outcome.model} ${outcome.version}`,
        notes: card ?? `${outcome.model} ${outcome.version}, registered from #${pull.number}.`,
      });
      releases.set(outcome.model, release.url);
    }
  }
  const registered = outcomes.flatMap((o) => (o.kind === "register" ? [o] : []));
  if (registered.length > 0) {
    // The deploy hooks are policy: read from the default branch, as merged, never from the pull request.
    const policy = await loadConfigAtRef(api, { ...where, ref: pull.defaultBranch });
    const assignments = registered.map((o) => ({
      model: o.model,
      stage: o.stage,
      version: o.version,
      commit: mergeSha,
      reason: `merged #${pull.number}`,
    }));
    deployments.push(...(await deployAssignments(api, where, policy, assignments)));
  }
  await upsertStickyComment(api, {
    ...where,
    issueNumber: pull.number,
    ...signedSticky(trust, { owner, repo, pull: pull.number }, MERGE_COMMENT_PURPOSE, mergeSha),
    body: renderMergeComment(outcomes, releases, deployments),
  });
  return outcomes;
}

export function renderMergeComment(
  outcomes: readonly MergeOutcome[],
  releases: ReadonlyMap<string, string>,
  deployments: readonly StartedDeployment[] = [],
): string {
  const lines = ["### Trainyard registry", ""];
  for (const o of outcomes) {
    if (o.kind === "register") {
      const tags = o.tags.map((t) => codeSpan(t.name)).join(" and ");
      const release = releases.get(o.model);
      const deployment = deployments.find((d) => d.model === o.model);
      lines.push(
        `- ✅ **${inlineText(o.model)}** registered as ${inlineText(o.version)} and assigned to ${codeSpan(o.stage)} (${tags})${release ? `; [release](${release})` : ""}${deployment ? `; deployment ${deployment.id} to ${codeSpan(deployment.environment)} queued` : ""}.`,
      );
    } else {
      // The reason is Markdown built from escaped parts (see plan-merge-registration.ts).
      lines.push(`- ❌ **${inlineText(o.model)}**: not registered — ${o.reason}.`);
    }
  }
  return lines.join("\n");
}

/**
 * Per project folder, its tracked artifacts at one commit: the outs in its own trainyard.lock and
 * the `.ty` pointers it owns (a nested project keeps its own), all relative to the project.
 */
async function artifactsAt(
  api: GitHubClient,
  where: { owner: string; repo: string },
  dirs: readonly string[],
  commitSha: string,
  treeSha?: string,
): Promise<Map<string, Map<string, string>>> {
  const rootTree =
    treeSha ?? (await api.rest.git.getCommit({ ...where, commit_sha: commitSha })).data.tree.sha;
  // A pointer file's blob id changes exactly when its content (the data hash) changes.
  const { data: tree } = await api.rest.git.getTree({ ...where, tree_sha: rootTree, recursive: "true" });
  const pointers = tree.tree
    .filter((e) => e.type === "blob" && e.path?.endsWith(POINTER_SUFFIX) && e.sha)
    .map((e) => ({ path: (e.path as string).slice(0, -POINTER_SUFFIX.length), hash: e.sha as string }));
  const out = new Map<string, Map<string, string>>();
  for (const dir of dirs) {
    const text = await readTextAtRef(api, { ...where, path: inProject(dir, LOCK_FILE), ref: commitSha });
    const lock: Lock | undefined = text === undefined ? undefined : parseLock(text);
    const own = pointers.flatMap((p) => {
      const path = owningProject(dirs, p.path) === dir ? relativeToProject(dir, p.path) : undefined;
      return path === undefined ? [] : [{ path, hash: p.hash }];
    });
    out.set(dir, collectArtifactHashes(lock, own));
  }
  return out;
}

async function metricsAt(
  api: GitHubClient,
  where: { owner: string; repo: string },
  ref: string,
  models: Readonly<Record<string, ModelConfig>>,
  changed: readonly string[],
): Promise<Map<string, FlatRecord>> {
  const out = new Map<string, FlatRecord>();
  for (const name of changed) {
    const file = models[name]?.metrics;
    if (!file) continue;
    const text = await readTextAtRef(api, { ...where, path: file, ref });
    if (text === undefined) continue;
    try {
      out.set(name, parseMetricsText(text, file));
    } catch {
      // Metrics only decorate the tag message; an unreadable file must not block registration.
    }
  }
  return out;
}
