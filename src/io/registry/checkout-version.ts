/**
 * `trainyard checkout iris@v1.3.0` as one transaction: every object that version's pointers and
 * stage outs need is checked to be in the local store before HEAD moves; if anything still fails
 * afterwards (a refused path, a disk error), HEAD goes back where it was and the data is restored
 * to match it, so a failure leaves the repository as it found it.
 */
import { TrainyardError, toError } from "../../core/errors.js";
import { parseManifest } from "../../core/manifest.js";
import type { Oid } from "../../core/oid.js";
import { checkoutData } from "../data/index.js";
import { currentHeadRef, type Repo, returnToHead } from "../git/index.js";
import { restoreLockOutputs } from "../pipeline/index.js";
import type { Progress } from "../progress.js";
// Direct, not through remote/index.js: reading roots from git must not load the AWS SDK.
import { rootsAtCommits } from "../store/index.js";
import { LocalStore, missingObjectHint } from "../store/index.js";
import { checkoutRegistryRef, resolveRegistryCheckout } from "./registry.js";

export interface VersionCheckout {
  version: { artifact: string; version: string; commit: string };
  outs: string[];
  pointers: number;
}

/** Refuse before anything moves when an object the commit needs is not in the local store. */
async function assertObjectsPresent(repo: Repo, commit: string, text: string): Promise<void> {
  const store = new LocalStore(repo.storeDir);
  for (const root of await rootsAtCommits(repo, [commit])) {
    if (root.optional) continue;
    let absent: Oid | undefined = store.has(root.oid) ? undefined : root.oid;
    if (!absent && root.directory) {
      const manifest = parseManifest((await store.readVerified(root.oid)).toString("utf8"), root.source);
      absent = manifest.find((e) => !store.has(e.hash))?.hash;
    }
    if (absent) {
      const stage = /trainyard\.lock:([^ ]+)$/.exec(root.source)?.[1];
      throw new TrainyardError(
        "missing",
        `cannot check out ${text}: ${root.path} (${root.source}) needs object ${absent}, which is not in the local store; nothing was changed. ${await missingObjectHint(repo, stage)}`,
      );
    }
  }
}

export async function checkoutVersion(
  repo: Repo,
  text: string,
  options: { progress?: Progress } = {},
): Promise<VersionCheckout | undefined> {
  const target = await resolveRegistryCheckout(repo.root, text);
  if (!target) return undefined;
  await assertObjectsPresent(repo, target.commit, text);
  const before = await currentHeadRef(repo.root);
  await checkoutRegistryRef(repo.root, text);
  try {
    const results = await checkoutData(repo, { ...(options.progress ? { progress: options.progress } : {}) });
    const outs = await restoreLockOutputs(repo);
    return { version: target, outs, pointers: results.length };
  } catch (thrown) {
    const error = toError(thrown);
    try {
      await returnToHead(repo.root, before);
      await checkoutData(repo, { force: true });
      await restoreLockOutputs(repo, { onlyMissing: true });
    } catch (rollback) {
      throw new TrainyardError(
        "git",
        `${error.message}; going back to ${before.branch ?? before.commit.slice(0, 12)} failed too: ${toError(rollback).message}`,
        undefined,
        { cause: error },
      );
    }
    throw error;
  }
}
