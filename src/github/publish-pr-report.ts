/**
 * The pull-request loop shared by the bot and the `report` action: read `trainyard.yaml` and each
 * model's metrics, params and lock at the base and head commits through the API, build the report
 * with core, then write one sticky comment and one check run per model.
 */
import type { Config } from "../core/config/schema.js";
import { TrainyardError } from "../core/errors.js";
import {
  buildModelReport,
  type FileTexts,
  type ModelReport,
  reportImagePaths,
  reportInputPaths,
} from "../core/pr-report/build-model-report.js";
import { metricHistory } from "../core/registry/metric-history.js";
import { buildRegistryState } from "../core/registry/registry-state.js";
import { type Iteration, parseIterations } from "../core/report/iterations.js";
import { reportMarker } from "../core/report/report-marker.js";
import { gatesUnderReview } from "../core/pr-report/gates-under-review.js";
import type { MarkerTrust } from "../core/promotion/index.js";
import { codeSpan, inlineText } from "../core/trust/index.js";
import type { GitHubClient } from "./client.js";
import { createOrUpdateCheckRun } from "./create-or-update-check-run.js";
import { listRegistryTags } from "./list-registry-tags.js";
import { CONFIG_FILE } from "../core/file-names.js";
import { inProject, type Project, qualifiedName, withQualifiedModelNames } from "../core/projects.js";
import { loadProjectsAtRef } from "./load-repo-config.js";
import { metricsProvenanceAt } from "./metrics-provenance.js";
import { readImageRefsAtRef } from "./read-image-refs.js";
import { readTextAtRef } from "./read-file-at-ref.js";
import { readTableSummaries } from "./read-table-summaries.js";
import { signedSticky, upsertStickyComment } from "./upsert-sticky-comment.js";

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  /** The repository's web address (`pull.base.repo.html_url`): image plots link to it, pinned to a commit. */
  htmlUrl?: string;
}

export interface PublishedModel {
  model: string;
  conclusion: ModelReport["check"]["conclusion"];
  commentId: number;
  commentAction: "created" | "updated" | "unchanged";
  checkRunId: number;
}

export type PublishOutcome =
  | { kind: "published"; models: PublishedModel[] }
  | { kind: "no-config" }
  | { kind: "invalid-config"; errors: string[] };

/**
 * `trust` (the bot): sticky comments carry a signed marker and only our app's comments and check
 * runs are ours. Without it (the `report` action, running as the workflow) comments are found by
 * the plain report marker and the check is written under the workflow's identity.
 */
export async function publishPrReport(
  octokit: GitHubClient,
  pr: PullRequestRef,
  trust?: MarkerTrust,
  /** Only this project folder ("" is the root); default every project. */
  only: { project?: string } = {},
): Promise<PublishOutcome> {
  const ours = trust ? { appId: trust.us.appId } : {};
  // The head's configs list the projects and models (a PR may add one); none at head means the repo
  // does not use us. The gates, though, come from the base where it has them (gates-under-review.ts),
  // and so does a root `projects:` list.
  const listed = { listRef: pr.base.sha };
  const heads = await loadProjectsAtRef(
    octokit,
    { owner: pr.owner, repo: pr.repo, ref: pr.head.sha },
    listed,
  );
  const chosen = heads.projects.filter((p) => only.project === undefined || p.dir === only.project);
  if (chosen.length === 0) return { kind: "no-config" };
  const bases = await loadProjectsAtRef(octokit, { owner: pr.owner, repo: pr.repo, ref: pr.base.sha }, listed)
    .then((b) => b.projects)
    .catch(() => []);
  const published: PublishedModel[] = [];
  const invalid: string[] = [];
  for (const head of chosen) {
    if ("errors" in head) {
      await createOrUpdateCheckRun(octokit, {
        owner: pr.owner,
        repo: pr.repo,
        headSha: pr.head.sha,
        model: qualifiedName(head.dir, "config"),
        conclusion: "failure",
        title: `${inProject(head.dir, CONFIG_FILE)} is invalid`,
        summary: head.errors.map((e) => `- ${inlineText(e, 500)}`).join("\n"),
        ...ours,
      });
      invalid.push(...head.errors);
      continue;
    }
    const base = bases.find((b) => b.dir === head.dir);
    const baseConfig = base && "config" in base ? withQualifiedModelNames(base) : undefined;
    const baseGates = base && "config" in base ? base.config : undefined;
    const project = { dir: head.dir, config: gatesUnderReview(head.config, baseGates) };
    published.push(...(await publishProject(octokit, pr, project, baseConfig, trust)));
  }
  if (published.length === 0 && invalid.length > 0) return { kind: "invalid-config", errors: invalid };
  return { kind: "published", models: published };
}

/** One sticky comment and one check run per model of one project, named `dir:model`. */
async function publishProject(
  octokit: GitHubClient,
  pr: PullRequestRef,
  project: Project,
  baseConfig: Config | undefined,
  trust: MarkerTrust | undefined,
): Promise<PublishedModel[]> {
  const ours = trust ? { appId: trust.us.appId } : {};
  const at = (sha: string, path: string) =>
    readTextAtRef(octokit, { owner: pr.owner, repo: pr.repo, path: inProject(project.dir, path), ref: sha });
  const config = withQualifiedModelNames(project);
  const published: PublishedModel[] = [];
  for (const model of Object.keys(config.models).sort()) {
    const paths = reportInputPaths(config, model);
    const read = async (sha: string): Promise<FileTexts> =>
      Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await at(sha, p)] as const)));
    const images = reportImagePaths(config, model);
    const readImages = (sha: string) => readImageRefsAtRef(octokit, pr, sha, images, project.dir);
    const [baseFiles, headFiles, baseImages, headImages, history] = await Promise.all([
      read(pr.base.sha),
      read(pr.head.sha),
      readImages(pr.base.sha),
      readImages(pr.head.sha),
      registryHistory(octokit, pr, config, model),
    ]);
    const tables = await readTableSummaries(
      octokit,
      { owner: pr.owner, repo: pr.repo, dir: project.dir },
      { sha: pr.base.sha, files: baseFiles },
      { sha: pr.head.sha, files: headFiles },
    );
    const build = (previousIterations?: readonly Iteration[]) =>
      buildOrExplain(
        () =>
          buildModelReport({
            config,
            model,
            base: { label: pr.base.ref, sha: pr.base.sha, files: baseFiles, images: baseImages },
            head: { label: pr.head.ref, sha: pr.head.sha, files: headFiles, images: headImages },
            headChartLabel: `PR #${pr.number}`,
            tables,
            ...(history ? { history } : {}),
            ...(previousIterations ? { previousIterations } : {}),
          }),
        model,
      );
    const headAt = { owner: pr.owner, repo: pr.repo, sha: pr.head.sha, dir: project.dir };
    const provenance = await metricsProvenanceAt(octokit, headAt, config, baseConfig, model);
    const report = withProvenance(build(), provenance);
    const comment = await upsertStickyComment(octokit, {
      owner: pr.owner,
      repo: pr.repo,
      issueNumber: pr.number,
      ...(trust
        ? signedSticky(
            trust,
            { owner: pr.owner, repo: pr.repo, pull: pr.number },
            `report:${model}`,
            pr.head.sha,
          )
        : { marker: reportMarker(model) }),
      // The iterations table carries on from the comment as it is now (read under its lock).
      body: (previous) => withProvenance(build(parseIterations(previous)), provenance).markdown,
    });
    const check = await createOrUpdateCheckRun(octokit, {
      owner: pr.owner,
      repo: pr.repo,
      headSha: pr.head.sha,
      model,
      ...report.check,
      ...(comment.url ? { detailsUrl: comment.url } : {}),
      ...ours,
    });
    published.push({
      model,
      conclusion: report.check.conclusion,
      commentId: comment.id,
      commentAction: comment.action,
      checkRunId: check.id,
    });
  }
  return published;
}

/** The main metric across the last registered versions, from the registry tags (for the chart). */
async function registryHistory(octokit: GitHubClient, pr: PullRequestRef, config: Config, model: string) {
  const spec = config.models[model];
  const metric = spec?.main_metric ?? Object.keys(spec?.gates ?? {})[0];
  if (!metric) return undefined;
  const tags = await listRegistryTags(octokit, { owner: pr.owner, repo: pr.repo, artifact: model });
  const artifact = buildRegistryState(tags).artifacts[model];
  return artifact ? metricHistory(artifact, metric, 12) : undefined;
}

/**
 * Metrics the pipeline did not produce (see core/pr-report/metrics-provenance.ts) fail the check
 * whatever their values, and the report says why before anything else.
 */
function withProvenance(report: ModelReport, problems: string[] | undefined): ModelReport {
  if (!problems || problems.length === 0 || report.check.conclusion === "neutral") return report;
  const why = problems.map((p) => `- ${p}`).join("\n");
  const section = `> [!CAUTION]\n> **The gates did not judge these metrics: they were not produced by the pipeline at this commit.** Re-run the pipeline (\`trainyard run\`) and commit its outputs.\n\n${why}\n`;
  const [marker, ...rest] = report.markdown.split("\n");
  return {
    ...report,
    markdown: [marker, section, ...rest].join("\n"),
    check: {
      conclusion: "failure",
      title: `${report.model}: metrics not produced by the pipeline`,
      summary: `${why}\n\nThe gates only judge metrics whose hash matches trainyard.lock and whose stage is up to date for its inputs.`,
    },
  };
}

/** A metrics or lock file the user broke becomes a failing check that says where, not a crash. */
function buildOrExplain(build: () => ModelReport, model: string): ModelReport {
  try {
    return build();
  } catch (thrown) {
    if (!(thrown instanceof TrainyardError)) throw thrown;
    const summary = `Trainyard could not read this model's files at the head commit:\n\n${inlineText(thrown.message, 1000)}`;
    return {
      model,
      markdown: `${reportMarker(model)}\n### ❌ ${codeSpan(model)}: cannot build the report\n\n${summary}\n`,
      check: { conclusion: "failure", title: `${model}: unreadable metrics, params or lock`, summary },
    };
  }
}
