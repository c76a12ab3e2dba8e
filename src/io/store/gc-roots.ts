/**
 * The one definition of what gc keeps, shared by local and remote gc so the two never disagree:
 *  - the pointers of the working tree and the outs and deps of its `trainyard.lock`;
 *  - the same in HEAD and in every commit a registry version tag (`name@vX.Y.Z`) points at, so a
 *    registered model can always be checked out again;
 *  - the objects named by run-cache records (a record is worth keeping only with its objects);
 *  - on request, every branch tip, every tagged commit, or every commit (`--all-…`).
 */
import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LOCK_FILE, parseLock } from "../../core/lock.js";
import { isOid } from "../../core/oid.js";
import { parseRegistryTag } from "../../core/registry/tag-grammar.js";
import { type DataRoot, depRootsFromLock, workingTreeRoots } from "./data-roots.js";
import { type CommitChoice, chooseCommits, rootsAtCommits } from "./referenced-roots.js";
import { type Repo, runGit } from "../git/index.js";

/** The parts of a run record gc reads (see pipeline/run-cache.ts for the whole record). */
export interface RunRecordObjects {
  fingerprint: string;
  stage: string;
  outs: readonly { path: string; hash: string; size: number; files?: number | undefined }[];
  metrics: readonly { path: string; hash: string; size: number; files?: number | undefined }[];
  plots: readonly { path: string; hash: string; size: number; files?: number | undefined }[];
}

export interface GcRootOptions extends CommitChoice {
  /** Run records held elsewhere (a remote's); the local store's records are always read. */
  runRecords?: readonly RunRecordObjects[];
  /**
   * Read the local store's run records (default). A remote's gc passes false: what it keeps is
   * decided by its own records (`runRecords`), not by this machine's cache.
   */
  localRunRecords?: boolean;
  /** Filled with the stage fingerprints every lock read here names (the run records worth keeping). */
  lockFingerprints?: Set<string>;
}

/** Commits that registry version tags point at (deregistered versions included: their tag still exists). */
export async function registeredCommits(repo: Repo): Promise<string[]> {
  if (!repo.isGit) return [];
  const run = await runGit(repo.root, [
    "for-each-ref",
    "--format=%(refname:strip=2) %(*objectname) %(objectname)",
    "refs/tags",
  ]);
  if (run.code !== 0) return [];
  const commits = new Set<string>();
  for (const line of run.stdout.split("\n")) {
    const [name, peeled, sha] = line.split(" ");
    if (!name || parseRegistryTag(name)?.action !== "register") continue;
    const commit = peeled || sha;
    if (commit) commits.add(commit);
  }
  return [...commits];
}

/** Every run record in the local store (`<store>/runs/ab/cdef….json`); damaged ones are skipped. */
export async function localRunRecords(storeDir: string): Promise<RunRecordObjects[]> {
  const base = join(storeDir, "runs");
  const records: RunRecordObjects[] = [];
  for (const prefix of await readdir(base).catch(() => [] as string[])) {
    for (const name of await readdir(join(base, prefix)).catch(() => [] as string[])) {
      if (!name.endsWith(".json")) continue;
      try {
        const value = JSON.parse(
          await readFile(join(base, prefix, name), "utf8"),
        ) as Partial<RunRecordObjects>;
        if (Array.isArray(value.outs) && Array.isArray(value.metrics) && Array.isArray(value.plots)) {
          records.push({
            fingerprint: String(value.fingerprint),
            stage: String(value.stage),
            outs: value.outs,
            metrics: value.metrics,
            plots: value.plots,
          });
        }
      } catch {
        // A damaged record is ignored by the run cache too; it keeps nothing alive.
      }
    }
  }
  return records;
}

export function runRecordRoots(record: RunRecordObjects): DataRoot[] {
  return [...record.outs, ...record.metrics, ...record.plots]
    .filter((e) => isOid(e.hash))
    .map((e) => ({
      oid: e.hash as DataRoot["oid"],
      size: e.size,
      directory: e.files !== undefined,
      source: `run record ${record.stage} ${record.fingerprint.slice(0, 19)}`,
      path: e.path,
      optional: true,
    }));
}

/** Every root gc must keep, from the working tree, history, the registry and the run cache. */
export async function collectGcRoots(repo: Repo, options: GcRootOptions = {}): Promise<DataRoot[]> {
  const roots = workingTreeRoots(repo, repo.root, []);
  const lockFile = join(repo.root, LOCK_FILE);
  if (existsSync(lockFile)) {
    const lock = parseLock(readFileSync(lockFile, "utf8"));
    for (const stage of Object.values(lock.stages)) options.lockFingerprints?.add(stage.fingerprint);
    roots.push(...depRootsFromLock(lock));
  }
  const commits = new Set([...(await chooseCommits(repo, options)), ...(await registeredCommits(repo))]);
  roots.push(...(await rootsAtCommits(repo, [...commits], options.lockFingerprints)));
  const local = options.localRunRecords === false ? [] : await localRunRecords(repo.storeDir);
  const records = [...local, ...(options.runRecords ?? [])];
  for (const record of records) roots.push(...runRecordRoots(record));
  return roots;
}
