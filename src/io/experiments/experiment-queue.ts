/**
 * `exp run --queue` and `exp run --run-all`: queue entries are refs on commits of the base's tree
 * (one `git commit-tree` each, no worktree, nothing run), read back with one `for-each-ref`.
 */
import {
  EXP_QUEUE_PREFIX,
  parseQueuedMessage,
  type QueuedVariant,
  queuedCommitMessage,
  queueRef,
} from "../../core/experiments/index.js";
import { TrainyardError } from "../../core/errors.js";
import { mustGit } from "../git/index.js";

const IDENTITY = {
  GIT_AUTHOR_NAME: "Trainyard experiments",
  GIT_AUTHOR_EMAIL: "trainyard@localhost",
  GIT_COMMITTER_NAME: "Trainyard experiments",
  GIT_COMMITTER_EMAIL: "trainyard@localhost",
};

export async function queueVariants(
  gitRoot: string,
  base: string,
  variants: readonly QueuedVariant[],
): Promise<void> {
  const queued = new Set((await listQueued(gitRoot, base)).map((q) => q.name));
  const clash = variants.find((v) => queued.has(v.name));
  if (clash)
    throw new TrainyardError("usage", `experiment ${clash.name} is already queued on ${base.slice(0, 12)}`);
  for (const variant of variants) {
    const { stdout } = await mustGit(
      gitRoot,
      ["commit-tree", `${base}^{tree}`, "-p", base, "-m", queuedCommitMessage(variant)],
      `cannot queue experiment ${variant.name}`,
      { env: IDENTITY },
    );
    // An empty old value: never overwrite a queue entry of the same name.
    await mustGit(gitRoot, ["update-ref", queueRef(base, variant.name), stdout.trim(), ""], "cannot queue");
  }
}

export interface QueuedEntry extends QueuedVariant {
  ref: string;
  commit: string;
}

/** The queue of one base, oldest name order; entries with damaged messages are skipped. */
export async function listQueued(gitRoot: string, base: string): Promise<QueuedEntry[]> {
  const { stdout } = await mustGit(
    gitRoot,
    [
      "for-each-ref",
      "--format=%(refname)%00%(objectname)%00%(contents)%00%00",
      `${EXP_QUEUE_PREFIX}${base}/`,
    ],
    "cannot list queued experiments",
  );
  return stdout.split("\0\0\n").flatMap((record) => {
    const [ref, commit, message] = record.split("\0");
    const variant = message === undefined ? undefined : parseQueuedMessage(message);
    return ref && commit && variant && ref === queueRef(base, variant.name)
      ? [{ ...variant, ref, commit }]
      : [];
  });
}

export async function dequeue(gitRoot: string, entry: QueuedEntry): Promise<void> {
  await mustGit(gitRoot, ["update-ref", "-d", entry.ref, entry.commit], `cannot dequeue ${entry.name}`);
}
