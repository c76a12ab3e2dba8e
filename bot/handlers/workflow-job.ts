/**
 * `workflow_job` completed in the experiments workflow (examples' experiments.yml) → redraw the
 * pull request's experiments comment. A matrix job pushes its experiment ref before it finishes,
 * so every finished job brings one more row. The job's name says which pull request it ran for
 * (`trainyard exp #<pull> <variant>`); nothing else in the delivery is trusted: the comment is
 * rebuilt from the bot's own signed dispatch records and the refs on GitHub.
 */
import { EXPERIMENTS_WORKFLOW, pullOfExperimentJob } from "../../src/core/experiments/index.js";
import { refreshExperimentsComment } from "../../src/github/experiments/refresh-experiments-comment.js";
import { botTrust } from "./bot-identity.js";
import type { HandlerModule } from "./types.js";

export const workflowJobHandlers: HandlerModule = (app, deps) => {
  app.on("workflow_job.completed", async (context) => {
    const { workflow_job: job, repository } = context.payload;
    if (job.workflow_name !== EXPERIMENTS_WORKFLOW) return;
    const pull = pullOfExperimentJob(job.name);
    if (pull === undefined) return;
    const octokit = context.octokit;
    const where = {
      owner: repository.owner.login,
      repo: repository.name,
      pull,
      defaultBranch: repository.default_branch,
    };
    // Several jobs finishing together need one redraw: it reads every ref anyway.
    deps.queue.enqueue(
      `${repository.full_name}#${pull}`,
      "experiments-comment",
      async () => {
        await refreshExperimentsComment(octokit, where, await botTrust(app, deps));
      },
      { coalesce: true },
    );
  });
};
