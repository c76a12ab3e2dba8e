/**
 * Image plots of a pull request at one commit, through the API: which exist, a content id (the
 * bytes' sha256) to tell changed from unchanged, and a commit-pinned URL the comment can show
 * (the image at that commit forever, not whatever the branch holds later).
 */
import { createHash } from "node:crypto";
import { inProject, ROOT_PROJECT } from "../core/projects.js";
import type { ImageRefs } from "../core/pr-report/build-model-report.js";
import type { GitHubClient } from "./client.js";
import { readFileAtRef } from "./read-file-at-ref.js";

export interface ImageRepo {
  owner: string;
  repo: string;
  htmlUrl?: string;
}

export async function readImageRefsAtRef(
  octokit: GitHubClient,
  repo: ImageRepo,
  sha: string,
  paths: readonly string[],
  /** The project folder `paths` are relative to ("" for the repository root). */
  dir = ROOT_PROJECT,
): Promise<ImageRefs> {
  const base = repo.htmlUrl ?? `https://github.com/${repo.owner}/${repo.repo}`;
  const entries = await Promise.all(
    paths.map(async (path) => {
      const inRepo = inProject(dir, path);
      const bytes = await readFileAtRef(octokit, {
        owner: repo.owner,
        repo: repo.repo,
        path: inRepo,
        ref: sha,
      });
      if (!bytes) return undefined;
      const id = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
      const url = `${base}/raw/${sha}/${inRepo.split("/").map(encodeURIComponent).join("/")}`;
      return [path, { path, id, url }] as const;
    }),
  );
  return Object.fromEntries(entries.filter((e) => e !== undefined));
}
