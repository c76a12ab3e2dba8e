/**
 * `exp push` / `exp pull`: the experiment refs travel through git with an explicit refspec (never
 * a mirror or a force-push of anything else); their outs travel through the store remote, when the
 * project has one, so a teammate or a runner can apply an experiment without retraining.
 */
import { TrainyardError } from "../../core/errors.js";
import { EXP_REF_PREFIX } from "../../core/experiments/index.js";
import { parseLock } from "../../core/lock.js";
import { mustGit } from "../git/index.js";
import type { ExperimentRef } from "./experiment-refs.js";
import { catFileBatch } from "../git/index.js";

/** `refs/trainyard/exp/<base>/*` for one base, or every base. */
export function experimentRefspec(base: string | undefined): string {
  const pattern = base ? `${EXP_REF_PREFIX}${base}/*` : `${EXP_REF_PREFIX}*`;
  return `${pattern}:${pattern}`;
}

function assertRemoteName(remote: string): string {
  // A remote starting with "-" would be read as an option by git.
  if (remote.startsWith("-") || remote.trim() === "")
    throw new TrainyardError("usage", `invalid git remote ${JSON.stringify(remote)}`);
  return remote;
}

/** Push or fetch the experiment refs with an explicit refspec; the remote is never read as an option. */
async function transferExperimentRefs(
  direction: "push" | "fetch",
  gitRoot: string,
  remote: string,
  base: string | undefined,
): Promise<void> {
  const where = direction === "push" ? `push experiments to ${remote}` : `fetch experiments from ${remote}`;
  await mustGit(
    gitRoot,
    [direction, "--quiet", "--end-of-options", assertRemoteName(remote), experimentRefspec(base)],
    `cannot ${where}`,
  );
}

export function pushExperimentRefs(gitRoot: string, remote: string, base: string | undefined): Promise<void> {
  return transferExperimentRefs("push", gitRoot, remote, base);
}

/** Fetch the refs; an experiment that differs from a local one of the same name is refused by git, not replaced. */
export function fetchExperimentRefs(
  gitRoot: string,
  remote: string,
  base: string | undefined,
): Promise<void> {
  return transferExperimentRefs("fetch", gitRoot, remote, base);
}

/** The lock of each experiment (for the outs to move through the store remote). */
export async function experimentLocks(
  gitRoot: string,
  lockPath: string,
  refs: readonly ExperimentRef[],
): Promise<{ ref: ExperimentRef; lock: ReturnType<typeof parseLock> }[]> {
  const texts = await catFileBatch(
    gitRoot,
    refs.map((r) => `${r.commit}:${lockPath}`),
  );
  return refs.flatMap((ref, i) => {
    const text = texts[i];
    return text === undefined ? [] : [{ ref, lock: parseLock(text, `${ref.name}:${lockPath}`) }];
  });
}
