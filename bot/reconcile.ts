/**
 * Deliveries are acknowledged before their work runs, so a crash (or a deploy) loses work GitHub
 * will not send again. On start and then on a timer the app walks every repository it is
 * installed on and redoes what is missing: open pull requests whose head lacks our report, and
 * deployment reviews recorded as pending that can be answered now. The jobs go through the same
 * queue and keys as the live handlers, so the two never run the same work side by side.
 */
import type { Probot } from "probot";
import type { GitHubClient } from "../src/github/client.js";
import { answerDecidablePendingReviews, isReportMissing } from "../src/github/reconcile-pull.js";
import { botTrust } from "./handlers/bot-identity.js";
import { enqueuePrReport } from "./handlers/report-pull-request.js";
import type { BotDeps } from "./handlers/types.js";

export interface Reconciler {
  /** Enqueues one pass over every installed repository; resolves once it is enqueued. */
  runOnce(): Promise<void>;
  stop(): void;
}

export function startReconciler(app: Probot, deps: BotDeps, intervalMs: number): Reconciler {
  const runOnce = async () => {
    try {
      const octokit = await app.auth();
      const installations = await octokit.paginate(octokit.rest.apps.listInstallations, { per_page: 100 });
      for (const installation of installations) {
        const api = (await app.auth(installation.id)) as GitHubClient;
        const repos = await api.paginate(api.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
        for (const repo of repos) enqueueRepository(app, deps, api, repo);
      }
    } catch (thrown) {
      app.log.error({ err: String(thrown) }, "trainyard reconcile could not list installations");
    }
  };
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  void runOnce();
  return { runOnce, stop: () => clearInterval(timer) };
}

function enqueueRepository(
  app: Probot,
  deps: BotDeps,
  api: GitHubClient,
  repository: { name: string; owner: { login: string }; full_name: string; default_branch?: string },
) {
  const { queue } = deps;
  const trust = () => botTrust(app, deps);
  const owner = repository.owner.login;
  const repo = repository.name;
  queue.enqueue(
    `${repository.full_name}#reconcile`,
    "reconcile",
    async () => {
      const pulls = await api.paginate(api.rest.pulls.list, { owner, repo, state: "open", per_page: 100 });
      const env = {
        owner,
        repo,
        trust: await trust(),
        apiBaseUrl: String(api.request.endpoint.DEFAULTS.baseUrl),
      };
      for (const pull of pulls) {
        if (pull.draft) continue;
        if (
          await isReportMissing(api, { owner, repo, number: pull.number, headSha: pull.head.sha }, env.trust)
        ) {
          enqueuePrReport(queue, api, owner, repo, pull.number, trust);
        }
        queue.enqueue(`${repository.full_name}#${pull.number}`, "answer-pending-reviews", () =>
          answerDecidablePendingReviews(api, env, pull.number),
        );
      }
    },
    { coalesce: true },
  );
}
