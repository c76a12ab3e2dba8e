/**
 * The `run` action's named steps, each a call into src/:
 *   runPass           pull what the stages read, run the stale ones, push their outs, regenerate
 *                     the model cards (run-pass.ts);
 *   commitBack        lock, metrics, plots, cards and .gitignore entries back to the branch,
 *                     running another pass on top of a racing run's commit;
 *   the report        metrics as values, the registry version, a model report per model.
 */
import { type ActionContext, logInfo } from "../../src/io/action/index.js";
import {
  branchToCommitTo,
  commitBack,
  openRepo,
  resolveCommit,
  runResultPaths,
} from "../../src/io/git/index.js";
import {
  modelReportsSince,
  readWorkingTreeMetrics,
  registeredVersionOn,
} from "../../src/io/registry/index.js";
import { openConfiguredRemote } from "../../src/io/remote/index.js";
import type { StageRunResult } from "../../src/io/pipeline/index.js";
import type { RunInputs } from "./inputs.js";
import { writeRunPlotsPage } from "./plots-output.js";
import { runPass } from "./run-pass.js";

export interface RunOutcome {
  /** Stages that ran or were restored from the run cache, in the order they finished. */
  readonly stagesRan: readonly string[];
  /** Every metrics file the config names, parsed and flattened, keyed by path. */
  readonly metrics: Readonly<Record<string, unknown>>;
  /** e.g. `iris@v1.3.0` when a version tag names the commit this run started from or produced. */
  readonly registryVersion?: string;
  /** The commit pushed back, if any. */
  readonly commit?: string;
  /** Per model, the report comparing the start commit with the result (Markdown). */
  readonly reports: readonly string[];
  /** The last pass's stages: ran, restored from the run cache (and from where) or up to date. */
  readonly stages: readonly StageRunResult[];
  /** SVGs of the data plots written this run (paths relative to the working directory). */
  readonly renderedPlots: readonly string[];
  /** The interactive plots page (absolute path), when the config declares plots. */
  readonly plotsPage?: string;
}

export async function runAndCommit(
  inputs: RunInputs,
  context: ActionContext,
  dir: string,
): Promise<RunOutcome> {
  const repo = openRepo(dir);
  const start = await resolveCommit(repo.root, "HEAD");
  const remote = await openConfiguredRemote(repo, inputs.remote);
  if (!remote)
    logInfo("No s3:// remote in trainyard.yaml: using the local store only (nothing to pull or push)");
  const ran = new Set<string>();
  try {
    let pass = await runPass(repo, remote, inputs, ran);
    let commit: string | undefined;
    if (inputs.commitBack) {
      const branch = await branchToCommitTo(repo.root, context);
      const landed = await commitBack({
        cwd: repo.root,
        branch,
        paths: [
          ...(await runResultPaths(repo.root, pass.config, pass.cards)),
          ...pass.renderedPlots,
          ...(pass.outcomesRecord ? [pass.outcomesRecord] : []),
        ],
        message: inputs.commitMessage,
        ...(inputs.token ? { token: inputs.token } : {}),
        rerun: async (conflicted) => {
          logInfo(
            `Another run pushed to ${branch} first (${conflicted.join(", ")}); re-running on its commit`,
          );
          pass = await runPass(repo, remote, inputs, ran);
        },
      });
      commit = landed.commit;
    }
    const plotsPage = await writeRunPlotsPage(repo.root, pass.config, start);
    const registryVersion = await registeredVersionOn(repo.root, [start, ...(commit ? [commit] : [])]);
    return {
      stagesRan: [...ran],
      metrics: await readWorkingTreeMetrics(repo.root, pass.config),
      ...(registryVersion ? { registryVersion } : {}),
      ...(commit ? { commit } : {}),
      stages: pass.stages,
      renderedPlots: pass.renderedPlots,
      ...(plotsPage ? { plotsPage } : {}),
      reports: await modelReportsSince(repo.root, pass.config, start, commit),
    };
  } finally {
    remote?.close();
  }
}
