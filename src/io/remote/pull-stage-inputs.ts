/**
 * Before a run on a fresh runner: fetch from the remote what the selected stages read (pointer
 * data, and the outs of their upstream stages recorded in the lock) and put it in place, so only
 * the stale stages run and the rest come back from the store.
 */
import type { Config } from "../../core/config/schema.js";
import { buildDag, withUpstream } from "../../core/dag.js";
import { LOCK_FILE, type Lock } from "../../core/lock.js";
import { checkoutData } from "../data/index.js";
import { type DataRoot, rootsFromLock, workingTreeRoots } from "../store/index.js";
import type { RemoteStore } from "./remote.js";
import { fetchRoots } from "./sync-data.js";
import type { Repo } from "../git/index.js";
import { assertStagesExist, readLockFile, restoreLockOutputs } from "../pipeline/index.js";

export interface PulledInputs {
  readonly roots: readonly DataRoot[];
  readonly transferred: number;
  readonly bytes: number;
}

export async function pullStageInputs(
  repo: Repo,
  config: Config,
  remote: RemoteStore,
  targets: readonly string[],
): Promise<PulledInputs> {
  assertStagesExist(config, targets);
  const lock = await readLockFile(repo.root);
  const dag = buildDag(config.stages).dag;
  const selected = new Set(dag && targets.length ? withUpstream(dag, targets) : Object.keys(config.stages));
  const outs = rootsFromLock(selectStages(lock, selected));
  const pointers = workingTreeRoots(repo, repo.root, []).filter((root) => !root.source.startsWith(LOCK_FILE));
  const roots: DataRoot[] = [...pointers, ...outs];
  const fetched = await fetchRoots(repo, remote, roots);
  await checkoutData(repo);
  await restoreLockOutputs(repo, { paths: new Set(outs.map((root) => root.path)), onlyMissing: true });
  return { roots, transferred: fetched.transferred, bytes: fetched.bytes };
}

function selectStages(lock: Lock, stages: ReadonlySet<string>): Lock {
  return {
    ...lock,
    stages: Object.fromEntries(Object.entries(lock.stages).filter(([name]) => stages.has(name))),
  };
}
