/**
 * What a registry reference (`iris#production`, `iris@v1.3.0`, `vision:classifier@latest`) names,
 * down to bytes: the version and commit, the artifact's path, its sha256 and size (from the lock
 * or pointer committed at that commit), its card (a git blob, checked against the hash in the tag
 * message), and where each object lives in the store remote configured at that commit. Works on a
 * local repository or on a remote one through a scratch partial clone (no checkout, no history).
 */
import { join, posix } from "node:path";
import { sha256Text } from "../../core/card/render-card.js";
import type { Config } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import { LOCK_FILE } from "../../core/file-names.js";
import { parseLock } from "../../core/lock.js";
import { parseManifest } from "../../core/manifest.js";
import { type Oid, parseOid } from "../../core/oid.js";
import { parsePointer, pointerPathFor } from "../../core/pointer.js";
import { buildRegistryState, findVersion, type VersionState } from "../../core/registry/registry-state.js";
import { parseRegistryRef, parseRegistryTag } from "../../core/registry/tag-grammar.js";
import { assertSafeRelativePath } from "../../core/safe-path.js";
import { listTags, lsRemoteTags, openRemoteSnapshot, readFileAt } from "../git/index.js";
import { chooseRemoteName, openRemoteEntry, type RemoteStore } from "../remote/index.js";
import { cardPathOf } from "./model-card.js";
import { loadConfigAt } from "./revision-metrics.js";

export interface ResolvedObject {
  /** Path inside the artifact (directories) or the artifact's own path. */
  path: string;
  sha256: string;
  size: number;
  url: string;
}

export interface ResolvedArtifact {
  repository: string;
  ref: string;
  artifact: string;
  type: "model" | "dataset";
  version: string;
  stage?: string;
  commit: string;
  /** Repository-relative path of the artifact (with the project folder for `dir:name`). */
  path: string;
  sha256: string;
  size: number;
  directory: boolean;
  /** Every object to download: the file itself, or each file a directory's manifest lists. */
  objects: ResolvedObject[];
  card?: { path: string; sha256: string; text: string };
  store: { remote: string; url: string; endpoint?: string; region?: string; force_path_style?: boolean };
}

function refuse(message: string): never {
  throw new TrainyardError("registry", message);
}

/** Resolve `refText` in the git repository at `url` (any URL or path git fetches from). */
export async function resolveRemoteArtifact(
  url: string,
  refText: string,
  options: { remote?: string } = {},
): Promise<ResolvedArtifact> {
  const ref = parseReference(refText);
  const names = (await lsRemoteTags(url)).filter((n) => parseRegistryTag(n)?.artifact === ref.artifact);
  if (names.length === 0) refuse(`${ref.artifact} is not registered in ${url}`);
  const snapshot = await openRemoteSnapshot(url, names);
  try {
    return await resolveArtifactIn(snapshot.dir, refText, { ...options, repository: url });
  } finally {
    await snapshot.dispose();
  }
}

function parseReference(refText: string) {
  const ref = parseRegistryRef(refText);
  if (!ref) {
    throw new TrainyardError(
      "usage",
      `'${refText}' is not a registry reference; expected model#stage, model@vX.Y.Z or model@latest`,
    );
  }
  return ref;
}

/** Resolve `refText` against the tags and committed files of the repository at `root`. */
export async function resolveArtifactIn(
  root: string,
  refText: string,
  options: { remote?: string; repository?: string } = {},
): Promise<ResolvedArtifact> {
  const ref = parseReference(refText);
  const state = buildRegistryState(await listTags(root));
  const version = findVersion(state, ref.stage || ref.version ? ref : { ...ref, latest: true });
  if (!version) refuse(`${refText} does not resolve to a registered version`);
  return resolveVersionIn(root, refText, version, options);
}

/**
 * Resolve a version already looked up (e.g. in the registry read through the GitHub API, whose
 * tags a checkout may not have yet) against the files committed at its commit in `root`.
 */
export async function resolveVersionIn(
  root: string,
  refText: string,
  version: Pick<VersionState, "version" | "commit" | "cardHash">,
  options: { remote?: string; repository?: string } = {},
): Promise<ResolvedArtifact> {
  const ref = parseReference(refText);
  // `dir:name` is the artifact `name` of the project in folder `dir` (GTO's folder prefix).
  const colon = ref.artifact.indexOf(":");
  const folder = colon < 0 ? "" : assertSafeRelativePath(ref.artifact.slice(0, colon), "registry");
  const name = colon < 0 ? ref.artifact : ref.artifact.slice(colon + 1);
  const projectRoot = folder ? join(root, folder) : root;
  const rev = { label: version.commit.slice(0, 12), rev: version.commit };
  const config = await loadConfigAt(projectRoot, rev);
  if (!config) refuse(`no trainyard.yaml${folder ? ` in ${folder}/` : ""} at ${rev.label}`);
  const model = config.models[name];
  if (!model) refuse(`${name} is not a model in trainyard.yaml at ${rev.label}`);
  const data = await locateData(projectRoot, version.commit, config, name);
  const inRepo = (p: string) => (folder ? posix.join(folder, p) : p);

  const remoteName = chooseRemoteName(config.store, options.remote);
  const remoteConfig = config.store.remotes[remoteName]!;
  const { remote } = openRemoteEntry(remoteName, remoteConfig);
  try {
    const objects = await objectsOf(remote, data);
    const card = await readCard(projectRoot, version.commit, config, name, version.cardHash);
    return {
      repository: options.repository ?? root,
      ref: refText,
      artifact: ref.artifact,
      type: model.type,
      version: version.version,
      ...(ref.stage ? { stage: ref.stage } : {}),
      commit: version.commit,
      path: inRepo(data.path),
      sha256: data.hash,
      size: data.size,
      directory: data.files !== undefined,
      objects,
      ...(card ? { card: { ...card, path: inRepo(card.path) } } : {}),
      store: {
        remote: remoteName,
        url: remoteConfig.url,
        ...(remoteConfig.endpoint ? { endpoint: remoteConfig.endpoint } : {}),
        ...(remoteConfig.region ? { region: remoteConfig.region } : {}),
        ...(remoteConfig.force_path_style !== undefined
          ? { force_path_style: remoteConfig.force_path_style }
          : {}),
      },
    };
  } finally {
    remote.close();
  }
}

interface DataEntry {
  path: string;
  hash: Oid;
  size: number;
  files?: number;
}

/** The artifact's hash: a stage out in the lock, else a `<path>.ty` pointer next to it. */
async function locateData(root: string, commit: string, config: Config, name: string): Promise<DataEntry> {
  const path = assertSafeRelativePath(config.models[name]!.path, "registry");
  const lockText = await readFileAt(root, commit, LOCK_FILE);
  if (lockText !== undefined) {
    const lock = parseLock(lockText, `${LOCK_FILE}@${commit.slice(0, 12)}`);
    for (const stage of Object.values(lock.stages)) {
      const out = stage.outs.find((o) => o.path === path);
      if (out) return { ...out, hash: parseOid(out.hash, "registry") };
    }
  }
  const pointerFile = pointerPathFor(path);
  const pointerText = await readFileAt(root, commit, pointerFile);
  if (pointerText !== undefined) {
    const pointer = parsePointer(pointerText, pointerFile);
    return { ...pointer, path };
  }
  refuse(
    `${name}: ${path} is neither a stage out in trainyard.lock nor tracked by ${pointerFile} at ${commit.slice(0, 12)}`,
  );
}

async function objectsOf(remote: RemoteStore, data: DataEntry): Promise<ResolvedObject[]> {
  const hex = (oid: string) => oid.replace(/^sha256:/, "");
  if (data.files === undefined) {
    return [{ path: data.path, sha256: hex(data.hash), size: data.size, url: remote.describeKey(data.hash) }];
  }
  // A directory's manifest is small: read it (verified) to list every file's object.
  const manifest = parseManifest((await remote.downloadBytes(data.hash)).toString("utf8"), data.path);
  return manifest.map((entry) => ({
    path: posix.join(data.path, assertSafeRelativePath(entry.path, "registry")),
    sha256: hex(entry.hash),
    size: entry.size,
    url: remote.describeKey(entry.hash),
  }));
}

async function readCard(
  root: string,
  commit: string,
  config: Config,
  name: string,
  expected: string | undefined,
): Promise<{ path: string; sha256: string; text: string } | undefined> {
  const path = assertSafeRelativePath(cardPathOf(config, name), "registry");
  const text = await readFileAt(root, commit, path);
  if (text === undefined) return undefined;
  const actual = sha256Text(text);
  if (expected && expected !== actual) {
    refuse(
      `the card ${path} at ${commit.slice(0, 12)} hashes to ${actual}, not ${expected} as its registry tag says`,
    );
  }
  return { path, sha256: actual.replace(/^sha256:/, ""), text };
}
