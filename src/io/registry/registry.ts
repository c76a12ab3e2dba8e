/**
 * The registry's edge: read the state from git tags (one for-each-ref), gather the facts the
 * rules need (lock cleanliness, reachability from the default branch), and create planned tags.
 * The CLI calls these; the bot does the same through the GitHub API.
 */
import { sha256Text } from "../../core/card/render-card.js";
import type { Config } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import { parseLock } from "../../core/lock.js";
import { detectMetricsFormat, parseMetricsText } from "../../core/metrics/parse-metrics-file.js";
import type { MessageFields, RegistryPlan } from "../../core/registry/registry-plan.js";
import { buildRegistryState, findVersion, type RegistryState } from "../../core/registry/registry-state.js";
import { parseRegistryRef } from "../../core/registry/tag-grammar.js";
import { formatTagMessage } from "../../core/registry/tag-message.js";
import {
  changedPaths,
  checkoutDetached,
  createAnnotatedTag,
  currentIdentity,
  defaultBranch,
  type Identity,
  isAncestor,
  listTags,
  modifiedTrackedFiles,
  openRepo,
  readFileAt,
  resolveCommit,
} from "../git/index.js";
import { cardPathOf } from "./model-card.js";
import { collectPipelineStatus } from "../pipeline/index.js";
import { LOCK_FILE } from "../../core/file-names.js";

/** Registry state from the repository's tags alone. */
export async function readRegistry(root: string): Promise<RegistryState> {
  return buildRegistryState(await listTags(root));
}

export interface LockCheck {
  clean: boolean;
  problem?: string;
}

/**
 * Whether the lock at `commit` vouches for the model: the pipeline has a lock, it records every
 * configured stage with the configured command, and (when registering HEAD) nothing the lock or
 * metrics describe has uncommitted changes.
 */
export async function checkLockAt(
  root: string,
  config: Config,
  commit: string,
  model: string,
): Promise<LockCheck> {
  const stages = Object.entries(config.stages);
  if (stages.length === 0) return { clean: true };
  const text = await readFileAt(root, commit, LOCK_FILE);
  if (text === undefined) return { clean: false, problem: `${LOCK_FILE} is missing; the pipeline never ran` };
  let lock: ReturnType<typeof parseLock>;
  try {
    lock = parseLock(text, `${LOCK_FILE}@${commit.slice(0, 12)}`);
  } catch (thrown) {
    return { clean: false, problem: thrown instanceof Error ? thrown.message : String(thrown) };
  }
  for (const [name, stage] of stages) {
    const entry = lock.stages[name];
    if (!entry) return { clean: false, problem: `stage ${name} has never run` };
    if (entry.cmd !== stage.cmd)
      return { clean: false, problem: `stage ${name}'s command changed since it ran` };
  }
  const head = await resolveCommit(root, "HEAD").catch(() => undefined);
  if (head === commit) {
    const spec = config.models[model];
    const watched = [
      LOCK_FILE,
      ...(spec?.metrics ? [spec.metrics] : []),
      ...stages.flatMap(([, s]) => s.metrics ?? []),
    ];
    const dirty = await changedPaths(root, watched);
    if (dirty.length) return { clean: false, problem: `uncommitted changes to ${dirty.join(", ")}` };
    // The working tree is this commit: ask the pipeline itself whether every stage is up to date.
    try {
      const status = await collectPipelineStatus(openRepo(root));
      const stale = status.stages.filter((s) => s.state === "stale");
      if (stale.length) {
        const why = stale.map((s) => `${s.stage}: ${s.reasons.join(", ")}`).join("; ");
        return { clean: false, problem: `stale stages (${why})` };
      }
    } catch (thrown) {
      return { clean: false, problem: thrown instanceof Error ? thrown.message : String(thrown) };
    }
  }
  return { clean: true };
}

/** Who, and the facts recorded in the tag message: metrics, card hash and lock hash at `commit`. */
export async function registrationFields(
  root: string,
  config: Config | undefined,
  model: string,
  commit: string,
  extra: { reason?: string; actor?: string } = {},
): Promise<MessageFields> {
  const spec = config?.models[model];
  const [identity, metricsText, cardText, lockText] = await Promise.all([
    currentIdentity(root),
    spec?.metrics ? readFileAt(root, commit, spec.metrics) : undefined,
    config && spec ? readFileAt(root, commit, cardPathOf(config, model)) : undefined,
    readFileAt(root, commit, LOCK_FILE),
  ]);
  const actor = extra.actor ?? (identity ? `${identity.name} <${identity.email}>` : undefined);
  return {
    ...(actor ? { actor } : {}),
    ...(extra.reason ? { reason: extra.reason } : {}),
    type: spec?.type ?? "model",
    ...(metricsText !== undefined && spec?.metrics
      ? {
          metrics: parseMetricsText(
            metricsText,
            `${spec.metrics}@${commit.slice(0, 12)}`,
            detectMetricsFormat(spec.metrics),
          ),
        }
      : {}),
    ...(cardText !== undefined ? { cardHash: sha256Text(cardText) } : {}),
    ...(lockText !== undefined ? { lockHash: sha256Text(lockText) } : {}),
  };
}

/** Whether `commit` is on the default branch (production's rule); false when it cannot be told. */
export async function reachableFromDefault(
  root: string,
  commit: string,
): Promise<{ reachable: boolean; branch: string }> {
  const branch = await defaultBranch(root);
  const reachable = await isAncestor(root, commit, branch).catch(() => false);
  return { reachable, branch };
}

/** Create every planned tag, in order. A failure names the tag; earlier tags stay (they are valid events). */
export async function applyPlan(root: string, plan: RegistryPlan, tagger?: Identity): Promise<string[]> {
  const created: string[] = [];
  for (const tag of plan.tags) {
    try {
      await createAnnotatedTag(root, tag.name, tag.commit, formatTagMessage(tag.message), tagger);
    } catch (thrown) {
      if (created.length === 0) throw thrown;
      throw new TrainyardError(
        "git",
        `created ${created.join(", ")} but then failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      );
    }
    created.push(tag.name);
  }
  return created;
}

/**
 * For `trainyard checkout iris@v1.3.0` / `iris#production` / `iris@latest`: the commit a registry
 * reference names, or undefined when `text` is not a registry reference (a plain data path).
 * Throws when it looks like one but names no live version.
 */
export async function resolveRegistryCheckout(
  root: string,
  text: string,
): Promise<{ artifact: string; version: string; commit: string } | undefined> {
  const ref = parseRegistryRef(text);
  if (!ref || (!ref.version && !ref.stage && !ref.latest)) return undefined;
  const state = await readRegistry(root);
  const version = findVersion(state, ref);
  if (!version) throw new TrainyardError("registry", `${text} does not resolve to a registered version`);
  return { artifact: ref.artifact, version: version.version, commit: version.commit };
}

/**
 * `trainyard checkout iris@v1.3.0`: move the working tree to the commit that version was
 * registered on (detached), refusing when tracked files have uncommitted changes. The caller then
 * restores that commit's data from its pointers. Undefined when `text` is not a registry reference.
 */
export async function checkoutRegistryRef(
  root: string,
  text: string,
): Promise<{ artifact: string; version: string; commit: string } | undefined> {
  const target = await resolveRegistryCheckout(root, text);
  if (!target) return undefined;
  const dirty = await modifiedTrackedFiles(root);
  if (dirty.length) {
    throw new TrainyardError(
      "git",
      `cannot check out ${text}: uncommitted changes to ${dirty.slice(0, 5).join(", ")}${dirty.length > 5 ? " …" : ""}; commit or stash them first`,
    );
  }
  await checkoutDetached(root, target.commit);
  return target;
}
