/**
 * Crash leftovers: staging folders and temp files live under `.trainyard/tmp/` (and the store's
 * own `tmp/`), named with the pid of the process that made them. A process killed mid-write (even
 * with SIGKILL) leaves them behind; the next command, holding the store lock, removes those whose
 * process is gone, so nothing half-written ever lingers in the working tree.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Repo } from "../git/index.js";

export function repoTempDir(repo: Repo): string {
  return join(repo.stateDir, "tmp");
}

/** A fresh path under `.trainyard/tmp/` (same filesystem as the working tree, so renames are atomic). */
export async function newRepoTempPath(repo: Repo, label: string): Promise<string> {
  const dir = repoTempDir(repo);
  await mkdir(dir, { recursive: true });
  return join(dir, `${label}-${process.pid}-${randomBytes(6).toString("hex")}`);
}

function ownerPid(name: string): number | undefined {
  const match = /-(\d+)-[0-9a-f]{12}$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Remove leftovers of processes that no longer run; returns how many went. */
export async function cleanCrashLeftovers(repo: Repo): Promise<number> {
  let removed = 0;
  for (const dir of [repoTempDir(repo), join(repo.storeDir, "tmp")]) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const pid = ownerPid(name);
      if (pid === undefined || pid === process.pid || alive(pid)) continue;
      await rm(join(dir, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
