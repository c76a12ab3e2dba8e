/**
 * The store's promise, checked from the outside: every object named by a pointer in the working
 * tree, by `trainyard.lock` (outs), or by a run record in the store exists and hashes to its name;
 * a folder's manifest and every file it lists too. Returns the problems (empty when all is well).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LOCK_FILE, parseLock } from "../../src/core/lock.js";
import { parseManifest } from "../../src/core/manifest.js";
import { isOid, type Oid } from "../../src/core/oid.js";
import { isDirectoryPointer } from "../../src/core/pointer.js";
import { LocalStore } from "../../src/io/store/index.js";
import { openRepo } from "../../src/io/git/index.js";
import { findPointerFiles, loadTrackedData } from "../../src/io/store/index.js";

interface Named {
  oid: Oid;
  directory: boolean;
  by: string;
}

function runRecords(storeDir: string): Named[] {
  const out: Named[] = [];
  const base = join(storeDir, "runs");
  if (!existsSync(base)) return out;
  for (const prefix of readdirSync(base)) {
    for (const file of readdirSync(join(base, prefix))) {
      if (!file.endsWith(".json")) continue;
      const record = JSON.parse(readFileSync(join(base, prefix, file), "utf8")) as Record<
        string,
        { hash: string; files?: number }[]
      >;
      for (const kind of ["outs", "metrics", "plots"]) {
        for (const e of record[kind] ?? []) {
          if (isOid(e.hash)) out.push({ oid: e.hash, directory: e.files !== undefined, by: `run ${file}` });
        }
      }
    }
  }
  return out;
}

export async function storeProblems(dir: string): Promise<string[]> {
  const repo = openRepo(dir);
  const store = new LocalStore(repo.storeDir);
  const named: Named[] = [];
  for (const file of findPointerFiles(repo)) {
    const { pointer } = loadTrackedData(repo, file);
    named.push({ oid: pointer.hash, directory: isDirectoryPointer(pointer), by: file });
  }
  const lockFile = join(repo.root, LOCK_FILE);
  if (existsSync(lockFile)) {
    const lock = parseLock(readFileSync(lockFile, "utf8"));
    for (const [stage, entry] of Object.entries(lock.stages))
      for (const out of entry.outs)
        named.push({ oid: out.hash as Oid, directory: out.files !== undefined, by: `lock ${stage}` });
  }
  named.push(...runRecords(repo.storeDir));
  const problems: string[] = [];
  const verify = async (oid: Oid, by: string): Promise<Buffer | undefined> => {
    try {
      return await store.readVerified(oid);
    } catch (thrown) {
      problems.push(`${oid} (named by ${by}): ${(thrown as Error).message}`);
      return undefined;
    }
  };
  for (const n of named) {
    const bytes = await verify(n.oid, n.by);
    if (!bytes || !n.directory) continue;
    for (const e of parseManifest(bytes.toString("utf8"))) await verify(e.hash, `${n.by}/${e.path}`);
  }
  return problems;
}
