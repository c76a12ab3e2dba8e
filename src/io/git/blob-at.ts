/**
 * Binary files at a revision (image plots): their bytes, or just their git blob id, which tells
 * two revisions' versions apart without reading them. WORKTREE means the files on disk.
 */
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { errnoCode, TrainyardError } from "../../core/errors.js";
import { isInsideDir } from "../../core/safe-path.js";
import { WORKTREE } from "./git.js";
import { mustGit, readBlobBytes, runGit } from "./run-git.js";

function blobSpec(rev: string, file: string): string {
  // `rev:./path` is resolved against the working directory, so projects in subfolders work.
  return `${rev}:./${file.split(path.sep).join("/")}`;
}

async function isBlob(root: string, spec: string): Promise<boolean> {
  const result = await runGit(root, ["cat-file", "-t", spec]);
  return result.code === 0 && result.stdout.trim() === "blob";
}

/** The file's git blob id at `rev` (hashed from disk for WORKTREE); undefined when absent. */
export async function blobIdAt(root: string, rev: string, file: string): Promise<string | undefined> {
  if (rev === WORKTREE) {
    const isFile = await stat(path.join(root, file)).then(
      (s) => s.isFile(),
      () => false,
    );
    return isFile
      ? (await mustGit(root, ["hash-object", "--", file], `cannot hash ${file}`)).stdout.trim()
      : undefined;
  }
  const spec = blobSpec(rev, file);
  return (await isBlob(root, spec))
    ? (await mustGit(root, ["rev-parse", spec], `cannot resolve ${spec}`)).stdout.trim()
    : undefined;
}

/**
 * The file's bytes at `rev`; undefined when absent. In the working tree a file that resolves
 * outside the project (a symlink to ~/.ssh/id_rsa named plots/x.png) is refused: these bytes end
 * up in a page people share.
 */
export async function readBytesAt(root: string, rev: string, file: string): Promise<Buffer | undefined> {
  if (rev === WORKTREE) {
    try {
      const real = await realpath(path.join(root, file));
      if (!isInsideDir(await realpath(root), real)) {
        throw new TrainyardError(
          "usage",
          `${file} resolves outside the project (${real}); refusing to read it`,
        );
      }
      return await readFile(real);
    } catch (thrown) {
      const code = errnoCode(thrown);
      if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
      throw thrown;
    }
  }
  const spec = blobSpec(rev, file);
  return (await isBlob(root, spec)) ? readBlobBytes(root, spec) : undefined;
}
