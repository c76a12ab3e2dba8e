/**
 * Reads, at one commit through the API, what core/pr-report/metrics-provenance.ts needs to tell
 * whether a model's metrics came from the pipeline: the metrics bytes, the lock, the params and
 * every dep of the producing stage hashed the way the lock records it (a file's content hash, a
 * tracked path's `.ty` pointer, a committed folder's manifest id).
 */
import type { Config } from "../core/config/schema.js";
import { LOCK_FILE } from "../core/file-names.js";
import { type Lock, type LockEntry, parseLock } from "../core/lock.js";
import { serializeManifest, type ManifestEntry } from "../core/manifest.js";
import type { Oid } from "../core/oid.js";
import { metricsPath } from "../core/pr-report/build-model-report.js";
import {
  contentHash,
  metricsProvenanceProblems,
  producingStage,
} from "../core/pr-report/metrics-provenance.js";
import { parsePointer, pointerPathFor } from "../core/pointer.js";
import { inProject, relativeToProject } from "../core/projects.js";
import { normalizeRepoPath } from "../core/repo-path.js";
import { readParams } from "../io/config/index.js";
import type { GitHubClient } from "./client.js";
import { contentsApiReader } from "./load-repo-config.js";
import { readFileAtRef } from "./read-file-at-ref.js";

interface At {
  owner: string;
  repo: string;
  sha: string;
  /** The project folder the config's paths are relative to (default: the repository root). */
  dir?: string;
}

/** Reads project file `path` at the commit. */
function readAt(api: GitHubClient, at: At, path: string) {
  return readFileAtRef(api, {
    owner: at.owner,
    repo: at.repo,
    path: inProject(at.dir ?? "", path),
    ref: at.sha,
  });
}

// A committed dep folder larger than this is not hashed over the API: the check fails closed.
const MAX_FOLDER_FILES = 500;

/**
 * Problems with `model`'s metrics at `at.sha`; undefined when the check does not apply: no
 * pipeline stage writes the metrics file in either the base or the head config and neither
 * config sets the model's `metrics_provenance: required` (a pull request can only make it
 * stricter: either side asking for it is enough).
 */
export async function metricsProvenanceAt(
  api: GitHubClient,
  at: At,
  config: Config,
  baseConfig: Config | undefined,
  model: string,
): Promise<string[] | undefined> {
  const path = metricsPath(config, model);
  if (!path) return undefined;
  const required = [config, baseConfig].some((c) => c?.models[model]?.metrics_provenance === "required");
  if (!required && !producingStage(config, path) && !producingStage(baseConfig, path)) return undefined;
  const read = (p: string) => readAt(api, at, p);
  // The params file is read as the config loader reads it (same path check, same parsing).
  const [metrics, lockBytes, params] = await Promise.all([
    read(path),
    read(LOCK_FILE),
    readParams(
      contentsApiReader(api, { owner: at.owner, repo: at.repo, ref: at.sha }, at.dir),
      config.params,
    ),
  ]);
  let lock: Lock | undefined;
  try {
    lock = lockBytes ? parseLock(lockBytes.toString("utf8")) : undefined;
  } catch {
    return ["trainyard.lock at this commit is invalid, so nothing shows the pipeline produced the metrics"];
  }
  const stage = config.stages[producingStage(config, path) ?? ""];
  const deps = new Map<string, LockEntry | undefined>();
  const tree = lazyTree(api, at);
  for (const dep of stage?.deps.map(normalizeRepoPath) ?? []) {
    deps.set(dep, await observed(api, at, dep, tree, upstreamOut(lock, dep)));
  }
  return metricsProvenanceProblems({
    config,
    metricsPath: path,
    metrics,
    lock,
    params: params?.value ?? {},
    deps,
  });
}

type TreeEntry = { path: string; mode: string; type: string; sha: string; size?: number };

function lazyTree(api: GitHubClient, at: At): () => Promise<TreeEntry[]> {
  let loaded: Promise<TreeEntry[]> | undefined;
  return () => {
    loaded ??= (async () => {
      const { data: commit } = await api.rest.git.getCommit({
        owner: at.owner,
        repo: at.repo,
        commit_sha: at.sha,
      });
      const { data } = await api.rest.git.getTree({
        owner: at.owner,
        repo: at.repo,
        tree_sha: commit.tree.sha,
        recursive: "true",
      });
      if (data.truncated) return [];
      // Paths relative to the project folder, as the config names them.
      return data.tree.flatMap((e) => {
        const path = e.path === undefined ? undefined : relativeToProject(at.dir ?? "", e.path);
        return path && e.mode && e.type && e.sha ? [{ ...e, path } as TreeEntry] : [];
      });
    })();
    return loaded;
  };
}

/** The dep as the lock records it, or undefined when it is missing or cannot be hashed here. */
/**
 * An upstream stage's output as the lock records it: outs live in the data store, not in git, so
 * the committed lock is the record of what the upstream run produced and the downstream stage
 * must have consumed exactly that.
 */
function upstreamOut(lock: Lock | undefined, path: string): LockEntry | undefined {
  for (const stage of Object.values(lock?.stages ?? {})) {
    const out = [...stage.outs, ...stage.metrics, ...stage.plots].find((o) => o.path === path);
    if (out) return out;
  }
  return undefined;
}

async function observed(
  api: GitHubClient,
  at: At,
  path: string,
  tree: () => Promise<TreeEntry[]>,
  upstream: LockEntry | undefined,
): Promise<LockEntry | undefined> {
  const read = (p: string) => readAt(api, at, p);
  const file = await read(path);
  if (file) return { path, hash: contentHash(file) as Oid, size: file.length };
  const pointerText = (await read(pointerPathFor(path)))?.toString("utf8");
  if (pointerText !== undefined) {
    try {
      const pointer = parsePointer(pointerText, pointerPathFor(path));
      return {
        path,
        hash: pointer.hash,
        size: pointer.size,
        ...(pointer.files === undefined ? {} : { files: pointer.files }),
      };
    } catch {
      return undefined;
    }
  }
  if (upstream) return upstream;
  const inside = (await tree()).filter((e) => e.path.startsWith(`${path}/`) && e.type !== "tree");
  // Symbolic links and submodules cannot be in a tracked folder; too many files are not hashed here.
  if (
    inside.length === 0 ||
    inside.length > MAX_FOLDER_FILES ||
    inside.some((e) => e.type !== "blob" || e.mode === "120000")
  ) {
    return undefined;
  }
  const entries: ManifestEntry[] = [];
  for (const entry of inside) {
    const bytes = await read(entry.path);
    if (!bytes) return undefined;
    entries.push({
      path: entry.path.slice(path.length + 1),
      hash: contentHash(bytes) as Oid,
      size: bytes.length,
      mode: Number.parseInt(entry.mode, 8) & 0o777,
    });
  }
  const size = entries.reduce((sum, e) => sum + e.size, 0);
  return {
    path,
    hash: contentHash(Buffer.from(serializeManifest(entries))) as Oid,
    size,
    files: entries.length,
  };
}
