/** `exp push` / `exp pull [remote]`: experiment refs through git, their outs through the store remote when one is configured. */
import type { Command } from "commander";
import { LOCK_FILE } from "../../core/lock.js";
import { relative } from "node:path";
import {
  type ExperimentRef,
  experimentLocks,
  fetchExperimentRefs,
  listExperimentRefs,
  pushExperimentRefs,
} from "../../io/experiments/index.js";
import { emit } from "../output.js";
import { type ExpContext, expContext } from "./exp-context.js";
import { createProgress } from "../progress.js";

interface ShareOptions {
  all?: boolean;
  storeRemote?: string;
  json?: boolean;
}

/** Move the outs of `refs` through the store remote; undefined when the project has no s3:// remote. */
async function moveObjects(
  ctx: ExpContext,
  refs: readonly ExperimentRef[],
  direction: "push" | "fetch",
  options: ShareOptions,
) {
  const remotes = await import("../../io/remote/index.js");
  const store = await remotes.readStoreConfig(ctx.repo);
  const hasS3 = Object.values(store?.remotes ?? {}).some((r) => r.url.startsWith("s3://"));
  if (!hasS3 && options.storeRemote === undefined) return undefined;
  const lockPath = [relative(ctx.gitRoot, ctx.repo.root), LOCK_FILE].filter(Boolean).join("/");
  const roots = (await experimentLocks(ctx.gitRoot, lockPath, refs)).flatMap(({ ref, lock }) =>
    remotes.rootsFromLock(lock, `${ref.name}:${LOCK_FILE}`),
  );
  const { remote, jobs } = await remotes.openRemote(ctx.repo, options.storeRemote);
  try {
    const transfer = direction === "push" ? remotes.pushRoots : remotes.fetchRoots;
    return await transfer(ctx.repo, remote, roots, {
      jobs,
      progress: createProgress({ json: options.json }),
    });
  } finally {
    remote.close();
  }
}

export function registerExpShare(exp: Command): void {
  for (const direction of ["push", "pull"] as const) {
    exp
      .command(`${direction} [remote]`)
      .description(
        direction === "push"
          ? "push experiment refs to a git remote (default origin) and their outs to the store remote"
          : "fetch experiment refs from a git remote (default origin) and their outs from the store remote",
      )
      .option("-a, --all", "experiments on every base, not only HEAD")
      .option(
        "-r, --store-remote <name>",
        "store remote for the outs (default: store.default, when it is s3://)",
      )
      .option("--json", "machine-readable output")
      .action(async (remote: string | undefined, options: ShareOptions, cmd: Command) => {
        const ctx = await expContext(cmd);
        const gitRemote = remote ?? "origin";
        const base = options.all ? undefined : ctx.base;
        let refs: ExperimentRef[];
        let objects: Awaited<ReturnType<typeof moveObjects>>;
        if (direction === "push") {
          refs = await listExperimentRefs(ctx.gitRoot, base);
          // Objects first: a ref a teammate can see must never point at outs they cannot fetch.
          objects = await moveObjects(ctx, refs, "push", options);
          await pushExperimentRefs(ctx.gitRoot, gitRemote, base);
        } else {
          await fetchExperimentRefs(ctx.gitRoot, gitRemote, base);
          refs = await listExperimentRefs(ctx.gitRoot, base);
          objects = await moveObjects(ctx, refs, "fetch", options);
        }
        emit(
          options.json,
          { ok: true, remote: gitRemote, experiments: refs.map((r) => r.name), objects: objects ?? null },
          () =>
            `${direction === "push" ? "pushed" : "fetched"} ${refs.length} experiment(s) ${direction === "push" ? "to" : "from"} ${gitRemote}${objects ? `; ${objects.transferred} object(s) moved through the store remote` : "; no s3:// store remote configured, outs stay local"}`,
        );
      });
  }
}
