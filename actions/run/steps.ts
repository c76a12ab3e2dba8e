/**
 * The `run` action's named steps, each a call into src/:
 *   pullInputs      fetch from the remote what the selected stages read (pointer data, and the
 *                   outs of their upstream stages recorded in the lock) and put it in place;
 *   runStages       H2's runPipeline: stale stages run, cached fingerprints are restored;
 *   pushOutputs     every out the lock records, to the remote, so other jobs and people can pull;
 *   regenerateCards H3's model cards from the new metrics and lineage;
 *   commitResults   lock, metrics, plots, cards and new .gitignore entries back to the branch,
 *                   re-running (runStages → regenerateCards) on top of a racing run's commit.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Config } from "../../src/core/config/schema.js";
import { buildDag, withUpstream } from "../../src/core/dag.js";
import { TrainyardError } from "../../src/core/errors.js";
import { LOCK_FILE, type Lock } from "../../src/core/lock.js";
import {
  buildModelReport,
  type FileTexts,
  reportInputPaths,
} from "../../src/core/pr-report/build-model-report.js";
import { type ActionContext, logGroup } from "../../src/io/action/index.js";
import { loadConfig } from "../../src/io/config/index.js";
import { checkoutData, withDataContext } from "../../src/io/data/index.js";
import { commitBack, openRepo, readFileAt, type Repo, resolveCommit } from "../../src/io/git/index.js";
import {
  assertStagesExist,
  readLockFile,
  restoreOut,
  type RunResult,
  runPipeline,
} from "../../src/io/pipeline/index.js";
import { cardPathOf, metricsFilesOf, readRegistry, regenerateCard } from "../../src/io/registry/index.js";
import {
  chooseRemoteName,
  type DataRoot,
  fetchRoots,
  openRemote,
  pushRoots,
  readStoreConfig,
  type RemoteStore,
  rootsFromLock,
  workingTreeRoots,
} from "../../src/io/remote/index.js";
import type { RunInputs } from "./inputs.js";

const exec = promisify(execFile);

export interface RunOutcome {
  /** Stages that ran or were restored from the run cache, in the order they finished. */
  readonly stagesRan: readonly string[];
  /** Every metrics file the config names, parsed, keyed by path. */
  readonly metrics: Readonly<Record<string, unknown>>;
  /** e.g. `iris@v1.3.0` when a version tag names the commit this run started from or produced. */
  readonly registryVersion?: string;
  /** The commit pushed back, if any. */
  readonly commit?: string;
  readonly summary: string;
}

export async function runAndCommit(inputs: RunInputs, context: ActionContext): Promise<RunOutcome> {
  const repo = openRepo(join(context.workspace, inputs.workingDirectory));
  const start = await resolveCommit(repo.root, "HEAD");
  const remote = openChosenRemote(repo, inputs.remote);
  try {
    const once = async () => {
      const { config } = await loadConfig(repo.root);
      if (remote) await pullInputs(repo, config, remote, inputs.stages);
      const result = await runStages(repo, inputs);
      if (remote && inputs.push) await pushOutputs(repo, remote);
      // A card records the commit it was made from, so regenerating it without new results would
      // change it on every run and commit forever.
      const cards = finished(result).length > 0 ? await regenerateCards(repo.root, config) : [];
      return { config, result, cards };
    };
    let { config, result, cards } = await once();
    const ran = new Set(finished(result));
    let commit: string | undefined;
    if (inputs.commitBack) {
      const branch = await branchToCommitTo(repo.root, context);
      const landed = await commitBack({
        cwd: repo.root,
        branch,
        paths: await resultPaths(repo.root, config, cards),
        message: inputs.commitMessage,
        ...(inputs.token ? { token: inputs.token } : {}),
        rerun: async (conflicted) => {
          process.stdout.write(
            `Another run pushed to ${branch} first (${conflicted.join(", ")}); re-running on its commit\n`,
          );
          ({ config, result, cards } = await once());
          for (const stage of finished(result)) ran.add(stage);
        },
      });
      commit = landed.commit;
    }
    const metrics = await readMetrics(repo.root, config);
    const registryVersion = await versionOn(repo.root, [start, ...(commit ? [commit] : [])]);
    const summary = await renderSummary(repo.root, config, start, [...ran], commit);
    return {
      stagesRan: [...ran],
      metrics,
      ...(registryVersion ? { registryVersion } : {}),
      ...(commit ? { commit } : {}),
      summary,
    };
  } finally {
    remote?.close();
  }
}

/** The remote named by the input, else the configured S3 remote; none when only the local store exists. */
function openChosenRemote(repo: Repo, name: string): RemoteStore | undefined {
  const store = readStoreConfig(repo);
  const hasS3 = Object.values(store?.remotes ?? {}).some((r) => r.url.startsWith("s3://"));
  if (!name && !hasS3) {
    process.stdout.write(
      "No s3:// remote in trainyard.yaml: using the local store only (nothing to pull or push)\n",
    );
    return undefined;
  }
  return openRemote(repo, chooseRemoteName(store, name || undefined)).remote;
}

/** Pointer data, and the lock's outs of the selected stages and their upstream, fetched and put in place. */
async function pullInputs(repo: Repo, config: Config, remote: RemoteStore, targets: readonly string[]) {
  assertStagesExist(config, targets);
  const lock = await readLockFile(repo.root);
  const dag = buildDag(config.stages).dag;
  const selected = new Set(dag && targets.length ? withUpstream(dag, targets) : Object.keys(config.stages));
  const outs = rootsFromLock(selectStages(lock, selected));
  const pointers = workingTreeRoots(repo, repo.root, []).filter((root) => !root.source.startsWith(LOCK_FILE));
  const roots: DataRoot[] = [...pointers, ...outs];
  const fetched = await fetchRoots(repo, remote, roots);
  await checkoutData(repo);
  await withDataContext(repo, {}, async (ctx) => {
    for (const stage of selected) {
      for (const out of lock.stages[stage]?.outs ?? []) {
        if (!existsSync(join(repo.root, out.path))) await restoreOut(ctx, out);
      }
    }
  });
  logGroup(
    `Pulled ${fetched.transferred} object(s) (${fetched.bytes} bytes)`,
    roots.map((r) => `${r.path} ← ${r.source}`),
  );
}

function selectStages(lock: Lock, stages: ReadonlySet<string>): Lock {
  return {
    ...lock,
    stages: Object.fromEntries(Object.entries(lock.stages).filter(([name]) => stages.has(name))),
  };
}

async function runStages(repo: Repo, inputs: RunInputs): Promise<RunResult> {
  const result = await runPipeline(repo, {
    ...(inputs.stages.length ? { targets: inputs.stages } : {}),
    jobs: inputs.jobs,
    force: inputs.force,
    onStageStart: (stage, reasons) => process.stdout.write(`▶ ${stage}: ${reasons.join("; ")}\n`),
    onStageEnd: (r) =>
      process.stdout.write(
        `■ ${r.stage}: ${r.action} (${r.durationMs} ms)${r.reasons.length ? ` because ${r.reasons.join("; ")}` : ""}${r.error ? ` — ${r.error}` : ""}\n`,
      ),
  });
  if (!result.ok) {
    const failed = result.stages.filter((s) => s.action === "failed" || s.action === "not-started");
    throw new TrainyardError(
      "pipeline",
      `the pipeline failed, nothing was committed: ${failed.map((s) => `${s.stage} ${s.action}${s.error ? ` (${s.error})` : ""}`).join("; ")}`,
    );
  }
  return result;
}

function finished(result: RunResult): string[] {
  return result.stages.filter((s) => s.action === "ran" || s.action === "restored").map((s) => s.stage);
}

async function pushOutputs(repo: Repo, remote: RemoteStore): Promise<void> {
  const roots = rootsFromLock(await readLockFile(repo.root));
  const pushed = await pushRoots(repo, remote, roots);
  process.stdout.write(`Pushed ${pushed.transferred} object(s) (${pushed.bytes} bytes) to the remote\n`);
}

async function regenerateCards(root: string, config: Config): Promise<string[]> {
  const written: string[] = [];
  for (const model of Object.keys(config.models)) {
    await regenerateCard(root, config, model);
    written.push(cardPathOf(config, model));
  }
  return written;
}

/** What a run changes that belongs in git: the lock, metrics, plots, cards and .gitignore entries for outs. */
async function resultPaths(root: string, config: Config, cards: readonly string[]): Promise<string[]> {
  const stages = Object.values(config.stages);
  const { stdout } = await exec(
    "git",
    ["status", "--porcelain", "--untracked-files=all", "--", "*.gitignore", ".gitignore"],
    {
      cwd: root,
    },
  );
  const ignores = stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => line.slice(3));
  return [
    ...new Set([LOCK_FILE, ...stages.flatMap((s) => [...s.metrics, ...s.plots]), ...cards, ...ignores]),
  ];
}

/** The branch to land on; a detached pull-request merge commit must not be pushed onto the head branch. */
async function branchToCommitTo(root: string, context: ActionContext): Promise<string> {
  const head = await exec("git", ["symbolic-ref", "--quiet", "--short", "HEAD"], { cwd: root }).then(
    (r) => r.stdout.trim(),
    () => undefined,
  );
  if (head) return head;
  if (context.ref.startsWith("refs/pull/")) {
    throw new TrainyardError(
      "usage",
      "the checkout is the pull request's merge commit; check out the branch itself to commit back (actions/checkout with ref set to github.head_ref) or set commit-back: false",
    );
  }
  if (!context.branch)
    throw new TrainyardError("usage", "cannot tell which branch to commit back to: HEAD is detached");
  return context.branch;
}

async function readMetrics(root: string, config: Config): Promise<Record<string, unknown>> {
  const metrics: Record<string, unknown> = {};
  for (const file of metricsFilesOf(config)) {
    const text = await readFile(join(root, file), "utf8").catch(() => undefined);
    if (text === undefined) continue;
    try {
      metrics[file] = JSON.parse(text);
    } catch {
      metrics[file] = text; // a non-JSON metrics format (YAML, CSV) is passed on as text
    }
  }
  return metrics;
}

/** A registered, live version on one of these commits (the run's start or its result). */
async function versionOn(root: string, commits: readonly string[]): Promise<string | undefined> {
  const state = await readRegistry(root);
  for (const artifact of Object.values(state.artifacts)) {
    const hit = artifact.versions.find((v) => commits.includes(v.commit) && v.registered && !v.deregistered);
    if (hit) return `${artifact.name}@${hit.version}`;
  }
  return undefined;
}

/** The job summary: per model, the same report as the PR comment, comparing the start commit with the result. */
async function renderSummary(
  root: string,
  config: Config,
  start: string,
  ran: readonly string[],
  commit: string | undefined,
): Promise<string> {
  const parts = [
    `## Trainyard run`,
    "",
    ran.length ? `Stages run: ${ran.map((s) => `\`${s}\``).join(", ")}.` : "Every stage was up to date.",
    commit ? `Committed back as \`${commit.slice(0, 12)}\`.` : "Nothing committed back.",
  ];
  for (const model of Object.keys(config.models)) {
    const paths = reportInputPaths(config, model);
    const before: Record<string, string | undefined> = {};
    const after: Record<string, string | undefined> = {};
    for (const path of paths) {
      before[path] = await readFileAt(root, start, path);
      after[path] = await readFile(join(root, path), "utf8").catch(() => undefined);
    }
    const report = buildModelReport({
      config,
      model,
      base: { label: "before this run", sha: start, files: before as FileTexts },
      head: { label: "after this run", ...(commit ? { sha: commit } : {}), files: after as FileTexts },
    });
    parts.push("", report.markdown);
  }
  return parts.join("\n");
}
