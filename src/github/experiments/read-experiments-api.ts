/**
 * The comparison table of one base commit, read through the API (the bot has no checkout): the
 * refs under `refs/trainyard/exp/<base>/` that matrix jobs pushed, each commit's message (its
 * record) and metrics files, and the base's params and metrics to judge gates against.
 */
import pLimit from "p-limit";
import type { Config } from "../../core/config/schema.js";
import {
  type BaseFiles,
  buildExperimentTable,
  EXP_REF_PREFIX,
  type ExperimentFiles,
  type ExperimentTable,
  experimentTableInputs,
  type ModelGates,
  parseExperimentMessage,
  parseExperimentRef,
} from "../../core/experiments/index.js";
import { type GitHubClient, githubError, httpStatus } from "../client.js";
import { readTextAtRef } from "../read-file-at-ref.js";

export interface ExperimentsAt {
  owner: string;
  repo: string;
  base: string;
  /** trainyard.yaml at the base: which files hold params and metrics. */
  config: Config;
  /** trainyard.yaml on the default branch: the gates experiments are judged by. */
  policy: Config;
}

export interface ApiExperimentTable {
  table: ExperimentTable;
  models: ModelGates[];
}

/** Refs of one base; an empty list when there are none yet (GitHub answers 404 or []). */
export async function listExperimentRefsApi(
  api: GitHubClient,
  where: { owner: string; repo: string; base: string },
): Promise<{ name: string; commit: string }[]> {
  const prefix = `${EXP_REF_PREFIX}${where.base}/`;
  try {
    const { data } = await api.rest.git.listMatchingRefs({
      owner: where.owner,
      repo: where.repo,
      ref: prefix.slice("refs/".length),
    });
    return data.flatMap((ref) => {
      const parsed = parseExperimentRef(ref.ref);
      return parsed && parsed.base === where.base && ref.object.type === "commit"
        ? [{ name: parsed.name, commit: ref.object.sha }]
        : [];
    });
  } catch (thrown) {
    if (httpStatus(thrown) === 404) return [];
    throw githubError(`cannot list the experiments of ${where.base.slice(0, 12)}`, thrown);
  }
}

export async function readExperimentTableApi(
  api: GitHubClient,
  at: ExperimentsAt,
): Promise<ApiExperimentTable> {
  const { owner, repo, base } = at;
  const { metricsFiles, models } = experimentTableInputs(at.config, at.policy);
  const refs = await listExperimentRefsApi(api, at);
  const read = (path: string, ref: string) => readTextAtRef(api, { owner, repo, path, ref });
  const readAll = async (ref: string) => {
    const texts: Record<string, string | undefined> = {};
    for (const file of metricsFiles) texts[file] = await read(file, ref);
    return texts;
  };
  // A few requests at a time: a large sweep must not trip GitHub's secondary rate limits.
  const limit = pLimit(4);
  const experiments = await Promise.all(
    refs.map((ref) =>
      limit(async (): Promise<ExperimentFiles> => {
        const { data: commit } = await api.rest.git.getCommit({ owner, repo, commit_sha: ref.commit });
        const record = parseExperimentMessage(commit.message);
        // A recorded experiment's params are the base's plus its overrides (see build-table.ts).
        const paramsText = record?.base === base ? undefined : await read(at.config.params, ref.commit);
        return {
          name: ref.name,
          base,
          commit: ref.commit,
          record,
          paramsText,
          metricsTexts: await readAll(ref.commit),
        };
      }),
    ),
  );
  const baseFiles: BaseFiles = {
    paramsText: await read(at.config.params, base),
    metricsTexts: await readAll(base),
  };
  const table = buildExperimentTable(experiments, new Map([[base, baseFiles]]), metricsFiles, models);
  return { table, models };
}
