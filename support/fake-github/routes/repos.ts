import { parseCommit, parseTree } from "../git-objects.js";
import type { FakeRepo, FakeState, Permission } from "../state.js";
import { renderRepo, renderUser } from "./render.js";
import { type RouteTable, requireValue } from "./types.js";

/** GitHub serves file content inline up to 1 MB; above that the contents API omits it. */
export const CONTENTS_INLINE_LIMIT = 1024 * 1024;

function contentEntry(
  state: FakeState,
  repo: FakeRepo,
  baseUrl: string,
  path: string,
  sha: string,
  mode: string,
) {
  const type =
    mode === "040000" ? "dir" : mode === "120000" ? "symlink" : mode === "160000" ? "submodule" : "file";
  const size = type === "file" ? (state.object(repo, sha)?.body.length ?? 0) : 0;
  const url = `${baseUrl}/repos/${repo.fullName}/contents/${path}`;
  const gitUrl = `${baseUrl}/repos/${repo.fullName}/git/${type === "dir" ? "trees" : "blobs"}/${sha}`;
  const htmlUrl = `https://github.com/${repo.fullName}/blob/${sha}/${path}`;
  return {
    type,
    size,
    name: path.split("/").pop() ?? "",
    path,
    sha,
    url,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: type === "file" ? `${baseUrl}/raw/${repo.fullName}/${sha}/${path}` : null,
    _links: { self: url, git: gitUrl, html: htmlUrl },
  };
}

/** Legacy `permission` values GitHub reports next to the precise `role_name`. */
const LEGACY: Record<Permission, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

export const repoRoutes: RouteTable = {
  "repos/get": ({ repo, baseUrl }) => ({ status: 200, body: renderRepo(repo, baseUrl) }),

  "repos/get-content": ({ state, repo, params, query, baseUrl }) => {
    const ref = typeof query.ref === "string" ? query.ref : repo.defaultBranch;
    const commit = requireValue(state.resolveCommit(repo, ref), 404, `No commit found for the ref ${ref}`);
    const path = (params.path ?? "").replace(/^\/+|\/+$/g, "");
    const found = requireValue(state.lookupPath(repo, commit, path));
    if (found.mode === "040000") {
      const entries = parseTree(state.object(repo, found.sha, "tree")!.body);
      return {
        status: 200,
        body: entries.map((e) =>
          contentEntry(state, repo, baseUrl, path ? `${path}/${e.name}` : e.name, e.sha, e.mode),
        ),
      };
    }
    const entry = contentEntry(state, repo, baseUrl, path, found.sha, found.mode);
    const blob = state.object(repo, found.sha, "blob")!;
    const inline = blob.body.length <= CONTENTS_INLINE_LIMIT;
    return {
      status: 200,
      body: {
        ...entry,
        encoding: inline ? "base64" : "none",
        // GitHub wraps base64 at 60 columns; clients must tolerate the newlines.
        content: inline ? (blob.body.toString("base64").match(/.{1,60}/g) ?? []).join("\n") : "",
      },
    };
  },

  "repos/get-collaborator-permission-level": ({ state, repo, params, baseUrl }) => {
    const role = repo.collaborators.get(params.username!) ?? (repo.private ? "none" : "read");
    return {
      status: 200,
      body: {
        permission: LEGACY[role],
        role_name: role,
        user: renderUser(state.user(params.username!), baseUrl),
      },
    };
  },

  // Ancestry only (status, ahead_by, behind_by): what "is this commit on the default branch" needs.
  "repos/compare-commits": ({ state, repo, params }) => {
    const base = requireValue(state.resolveCommit(repo, params.base ?? ""));
    const head = requireValue(state.resolveCommit(repo, params.head ?? ""));
    const ancestors = (tip: string) => {
      const seen = new Map<string, number>();
      const queue: [string, number][] = [[tip, 0]];
      for (let item = queue.shift(); item; item = queue.shift()) {
        const [sha, depth] = item;
        const object = state.object(repo, sha, "commit");
        if (seen.has(sha) || !object) continue;
        seen.set(sha, depth);
        for (const parent of parseCommit(object.body).parents) queue.push([parent, depth + 1]);
      }
      return seen;
    };
    const ofHead = ancestors(head);
    const ofBase = ancestors(base);
    const status =
      base === head ? "identical" : ofHead.has(base) ? "ahead" : ofBase.has(head) ? "behind" : "diverged";
    const ahead = [...ofHead.keys()].filter((sha) => !ofBase.has(sha)).length;
    const behind = [...ofBase.keys()].filter((sha) => !ofHead.has(sha)).length;
    return {
      status: 200,
      body: { status, ahead_by: ahead, behind_by: behind, total_commits: ahead, commits: [], files: [] },
    };
  },

  "repos/create-dispatch-event": ({ repo, body }) => {
    repo.dispatches.push({ event_type: body.event_type, client_payload: body.client_payload ?? {} });
    return { status: 204 };
  },
};
