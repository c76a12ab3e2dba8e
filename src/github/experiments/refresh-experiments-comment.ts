/**
 * The second sticky comment of a pull request: its experiments, ranked. Rebuilt from GitHub alone
 * every time (the bot keeps no state): which variants were dispatched comes from the bot's own
 * signed dispatch records in its replies, the results from the experiment refs the matrix jobs
 * pushed. Called when a dispatch is sent (every variant pending) and when a matrix job finishes.
 */
import {
  currentDispatch,
  DISPATCH_RECORD_KIND,
  type DispatchRecord,
  isDispatchRecord,
  renderExperimentsComment,
} from "../../core/experiments/index.js";
import { type MarkerTrust, repoKey } from "../../core/promotion/index.js";
import { isOwnComment, readSignedMarkers } from "../../core/trust/index.js";
import type { GitHubClient } from "../client.js";
import { loadConfigAtRef } from "../load-repo-config.js";
import { signedSticky, type StickyResult, upsertStickyComment } from "../upsert-sticky-comment.js";
import { readExperimentTableApi } from "./read-experiments-api.js";

export const EXPERIMENTS_PURPOSE = "experiments";

export interface PullRef {
  owner: string;
  repo: string;
  pull: number;
  defaultBranch: string;
}

/** Verified dispatch records of this pull request, oldest first. */
export async function readDispatchRecords(
  api: GitHubClient,
  where: PullRef,
  trust: MarkerTrust,
): Promise<DispatchRecord[]> {
  const comments = await api.paginate(api.rest.issues.listComments, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.pull,
    per_page: 100,
  });
  const repo = repoKey(where.owner, where.repo);
  const records: DispatchRecord[] = [];
  for (const comment of comments) {
    if (
      !comment.body?.includes(`<!-- trainyard:${DISPATCH_RECORD_KIND} `) ||
      !isOwnComment(comment, trust.us)
    )
      continue;
    const reading = readSignedMarkers(trust.key, comment.body, DISPATCH_RECORD_KIND, isDispatchRecord);
    for (const line of reading.rejected) trust.onRejected?.(DISPATCH_RECORD_KIND, line);
    records.push(...reading.records.filter((r) => r.repo === repo && r.pull === where.pull));
  }
  return records;
}

/**
 * Rebuild the comment; `justSent` is a dispatch whose reply (and so whose record) is not posted yet.
 * Undefined when nothing was ever dispatched on this pull request.
 */
export async function refreshExperimentsComment(
  api: GitHubClient,
  where: PullRef,
  trust: MarkerTrust,
  justSent?: DispatchRecord,
): Promise<StickyResult | undefined> {
  const records = await readDispatchRecords(api, where, trust);
  const current = currentDispatch(justSent ? [...records, justSent] : records);
  if (!current) return undefined;
  const { owner, repo, pull } = where;
  const [config, policy] = await Promise.all([
    loadConfigAtRef(api, { owner, repo, ref: current.base }),
    loadConfigAtRef(api, { owner, repo, ref: where.defaultBranch }),
  ]);
  if (!config) return undefined;
  const { table, models } = await readExperimentTableApi(api, {
    owner,
    repo,
    base: current.base,
    config,
    policy: policy ?? config,
  });
  const finished = new Set(table.rows.map((r) => r.name));
  const body = renderExperimentsComment({
    base: current.base,
    table,
    models,
    pending: current.names.filter((n) => !finished.has(n)),
  });
  return upsertStickyComment(api, {
    owner,
    repo,
    issueNumber: pull,
    ...signedSticky(trust, { owner, repo, pull }, EXPERIMENTS_PURPOSE, current.base),
    body,
  });
}
