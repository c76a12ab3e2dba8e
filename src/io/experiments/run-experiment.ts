/**
 * `trainyard exp run`: each variant runs the pipeline in its own worktree of the base commit, with
 * its params written into the params file there; the run cache and the store are the project's
 * own, so shared stages are restored rather than re-run and outs land in the store. The result is
 * a commit of the base plus params, lock, metrics and plots, under the experiment's ref.
 */
import { stageOutPaths } from "../../core/dag.js";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import { applyParamOverrides } from "../../core/experiments/apply-overrides.js";
import { experimentCommitMessage, type ExperimentRecord } from "../../core/experiments/record.js";
import type { Overrides } from "../../core/experiments/sweep.js";
import { TrainyardError, toError } from "../../core/errors.js";
import { LOCK_FILE } from "../../core/lock.js";
import { normalizeRepoPath } from "../../core/repo-path.js";
import { loadConfig } from "../config/index.js";
import { currentIdentity, mustGit, type Repo } from "../git/index.js";
import { type LineSink, runPipeline } from "../pipeline/index.js";
import { listExperimentRefs, writeExperimentRef } from "./experiment-refs.js";
import { removeAbandonedWorktrees, withWorktree } from "./worktree.js";

export interface ExperimentVariant {
  name: string;
  overrides: Overrides;
}

export interface RunExperimentsOptions {
  gitRoot: string;
  base: string;
  variants: readonly ExperimentVariant[];
  /** Variants run at once. */
  jobs: number;
  /** Replace experiments of the same name on this base. */
  force: boolean;
  onLine?: LineSink;
  onVariantEnd?: (record: ExperimentRecord, commit: string) => void;
  now?: () => Date;
}

export interface ExperimentOutcome {
  record: ExperimentRecord;
  commit: string;
}

const FALLBACK_IDENTITY = { name: "Trainyard experiments", email: "trainyard@localhost" };

export async function runExperiments(
  repo: Repo,
  options: RunExperimentsOptions,
): Promise<ExperimentOutcome[]> {
  removeAbandonedWorktrees(options.gitRoot, repo.root);
  if (!options.force) {
    const taken = new Set((await listExperimentRefs(options.gitRoot, options.base)).map((r) => r.name));
    const clash = options.variants.find((v) => taken.has(v.name));
    if (clash) {
      throw new TrainyardError(
        "usage",
        `experiment ${clash.name} already exists on ${options.base.slice(0, 12)}; pick another --name, remove it, or pass --force`,
      );
    }
  }
  const identity = (await currentIdentity(repo.root)) ?? FALLBACK_IDENTITY;
  const limit = pLimit(Math.max(1, options.jobs));
  return Promise.all(
    options.variants.map((variant) =>
      limit(async () => {
        const outcome = await runOne(repo, variant, options, identity);
        options.onVariantEnd?.(outcome.record, outcome.commit);
        return outcome;
      }),
    ),
  );
}

async function runOne(
  repo: Repo,
  variant: ExperimentVariant,
  options: RunExperimentsOptions,
  identity: { name: string; email: string },
): Promise<ExperimentOutcome> {
  const started = Date.now();
  return withWorktree(options.gitRoot, repo.root, options.base, variant.name, async (wt) => {
    const loaded = await loadConfig(wt.projectDir);
    const paramsFile = loaded.config.params;
    const paramsPath = join(wt.projectDir, paramsFile);
    const text = await readFile(paramsPath, "utf8");
    await writeFile(paramsPath, applyParamOverrides(text, paramsFile, variant.overrides));
    // The worktree shares the project's store (objects and run cache); its stat cache is its own.
    const wtRepo: Repo = {
      root: wt.projectDir,
      stateDir: join(wt.projectDir, ".trainyard"),
      storeDir: repo.storeDir,
      cacheDir: join(wt.projectDir, ".trainyard", "cache"),
      isGit: true,
    };
    const prefix = `[${variant.name}]`;
    let status: ExperimentRecord["status"] = "success";
    let error: string | undefined;
    try {
      const result = await runPipeline(wtRepo, {
        // Variants already run side by side; each keeps to one stage at a time when they do.
        ...(options.jobs > 1 ? { jobs: 1 } : {}),
        onLine: (line, stream) => options.onLine?.(`${prefix}${line}`, stream),
      });
      if (!result.ok) {
        status = "failed";
        error = result.stages
          .filter((s) => s.action === "failed")
          .map((s) => `${s.stage}: ${s.error ?? "failed"}`)
          .join("; ");
      }
    } catch (thrown) {
      status = "failed";
      error = toError(thrown).message;
    }
    const record: ExperimentRecord = {
      name: variant.name,
      base: options.base,
      overrides: variant.overrides.map(([k, v]) => [k, v]),
      status,
      durationMs: Date.now() - started,
      ...(error ? { error } : {}),
      createdAt: (options.now?.() ?? new Date()).toISOString(),
    };
    const stages = Object.values(loaded.config.stages);
    const recorded = [
      paramsFile,
      LOCK_FILE,
      ...stages.flatMap((s) => [...s.metrics, ...stageOutPaths(s, "plots")]).map(normalizeRepoPath),
    ].filter((p) => existsSync(join(wt.projectDir, p)));
    const commit = await commitResult(wt.projectDir, recorded, experimentCommitMessage(record), identity);
    await writeExperimentRef(options.gitRoot, options.base, variant.name, commit, options.force);
    return { record, commit };
  });
}

/** Commit the recorded files (and the .gitignore entries the run added for its outs) on the detached worktree HEAD. */
async function commitResult(
  cwd: string,
  paths: readonly string[],
  message: string,
  identity: { name: string; email: string },
): Promise<string> {
  const listed = await mustGit(
    cwd,
    ["ls-files", "-z", "--modified", "--others", "--exclude-standard", "--", ":(glob)**/.gitignore"],
    "cannot list the experiment's .gitignore files",
  );
  const ignoreFiles = listed.stdout.split("\0").filter(Boolean);
  await mustGit(cwd, ["add", "--all", "--", ...paths, ...ignoreFiles], "cannot stage the experiment's files");
  const commitArgs = [
    "-c",
    `user.name=${identity.name}`,
    "-c",
    `user.email=${identity.email}`,
    "commit",
    "--quiet",
    "--no-verify",
    "--allow-empty",
    "--cleanup=verbatim",
    "-m",
    message,
  ];
  await mustGit(cwd, commitArgs, "cannot commit the experiment");
  return (await mustGit(cwd, ["rev-parse", "HEAD"], "cannot read the experiment commit")).stdout.trim();
}
