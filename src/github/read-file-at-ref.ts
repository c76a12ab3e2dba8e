/**
 * Reads one file of a repository at a commit through the API (no checkout): the contents API,
 * then the git blobs API when GitHub leaves the content out (files over 1 MB).
 */
import { type GitHubClient, githubError, httpStatus } from "./client.js";

export interface FileAtRef {
  owner: string;
  repo: string;
  path: string;
  /** Branch, tag or commit sha. */
  ref: string;
}

/** The file's bytes, or `undefined` when it does not exist at that ref (or is a directory). */
export async function readFileAtRef(octokit: GitHubClient, file: FileAtRef): Promise<Buffer | undefined> {
  const where = `${file.owner}/${file.repo}:${file.path}@${file.ref}`;
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner: file.owner,
      repo: file.repo,
      path: file.path,
      ref: file.ref,
    });
    if (Array.isArray(data) || data.type !== "file") return undefined;
    if (data.encoding === "base64" && (data.content !== "" || data.size === 0)) {
      return Buffer.from(data.content, "base64");
    }
    // Over 1 MB GitHub answers with `encoding: "none"` and no content; the blob has it.
    const { data: blob } = await octokit.rest.git.getBlob({
      owner: file.owner,
      repo: file.repo,
      file_sha: data.sha,
    });
    return Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8");
  } catch (thrown) {
    if (httpStatus(thrown) === 404) return undefined;
    throw githubError(`cannot read ${where}`, thrown);
  }
}

/** Same as readFileAtRef, decoded as UTF-8. */
export async function readTextAtRef(octokit: GitHubClient, file: FileAtRef): Promise<string | undefined> {
  return (await readFileAtRef(octokit, file))?.toString("utf8");
}
