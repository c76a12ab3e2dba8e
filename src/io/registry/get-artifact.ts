/**
 * `trainyard get`: download what `resolveArtifact` named into a folder, laid out as in the
 * repository (`out/models/iris/model.json`, `out/models/iris/README.md`). Every object comes
 * through the remote's verified download (content hashed against its id before it is kept) into a
 * temp file; only when all are good are they renamed into place, so a failure leaves no partial
 * artifact. Paths come from another repository's files, so each must stay inside `outDir`, and
 * no folder on the way may be a symlink (which could redirect the write elsewhere).
 */
import { lstat, mkdir, realpath, rename } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { oidFromHex } from "../../core/oid.js";
import { isInsideDir } from "../../core/safe-path.js";
import { removeQuietly, tempPathFor, writeFileAtomic } from "../fs/index.js";
import { openRemoteEntry } from "../remote/index.js";
import type { ResolvedArtifact } from "./resolve-artifact.js";

export interface GotArtifact {
  /** Absolute path of the artifact (file or folder) in `outDir`. */
  path: string;
  card?: string;
  files: number;
  bytes: number;
}

async function destination(outRoot: string, relative: string): Promise<string> {
  const dest = resolve(outRoot, relative);
  if (!isInsideDir(outRoot, dest) || dest === outRoot) {
    throw new TrainyardError("path", `refusing to write ${relative}: outside ${outRoot}`);
  }
  await mkdir(dirname(dest), { recursive: true });
  // realpath of the folder must still be inside: no symlinked folder on the way.
  if (!isInsideDir(outRoot, await realpath(dirname(dest)))) {
    throw new TrainyardError(
      "path",
      `refusing to write ${relative}: a folder on its way is a symlink out of ${outRoot}`,
    );
  }
  const existing = await lstat(dest).catch(() => undefined);
  if (existing && !existing.isFile()) {
    throw new TrainyardError(
      "path",
      `refusing to write ${relative}: ${dest} exists and is not a regular file`,
    );
  }
  return dest;
}

export async function downloadArtifact(resolved: ResolvedArtifact, outDir: string): Promise<GotArtifact> {
  await mkdir(outDir, { recursive: true });
  const outRoot = await realpath(outDir);
  const { remote: name, ...remoteConfig } = resolved.store;
  const { remote } = openRemoteEntry(name, remoteConfig);
  const staged: { temp: string; dest: string }[] = [];
  try {
    for (const object of resolved.objects) {
      const dest = await destination(outRoot, object.path);
      const temp = tempPathFor(dest);
      staged.push({ temp, dest });
      await remote.download(oidFromHex(object.sha256), temp, undefined, object.size);
    }
    for (const { temp, dest } of staged) await rename(temp, dest);
  } catch (thrown) {
    await Promise.all(staged.map(({ temp }) => removeQuietly(temp)));
    throw thrown;
  } finally {
    remote.close();
  }
  let card: string | undefined;
  if (resolved.card) {
    card = await destination(outRoot, resolved.card.path);
    await writeFileAtomic(card, resolved.card.text);
  }
  return {
    path: join(outRoot, resolved.path),
    ...(card ? { card } : {}),
    files: resolved.objects.length,
    bytes: resolved.objects.reduce((n, o) => n + o.size, 0),
  };
}
