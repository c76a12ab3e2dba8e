/** The git data API: blobs, trees, commits, annotated tags and refs over the fake's object store. */
import {
  type GitSignature,
  parseCommit,
  parseTag,
  parseTree,
  serializeCommit,
  serializeTag,
  serializeTree,
  type TreeEntry,
} from "../git-objects.js";
import type { FakeRepo, FakeState } from "../state.js";
import { HttpError, type RouteTable, requireValue } from "./types.js";

const api = (baseUrl: string, repo: FakeRepo) => `${baseUrl}/repos/${repo.fullName}`;

function renderRef(baseUrl: string, repo: FakeRepo, ref: string, sha: string, state: FakeState) {
  const type = state.object(repo, sha)?.type ?? "commit";
  return {
    ref,
    node_id: `REF_${repo.id}_${ref}`,
    url: `${api(baseUrl, repo)}/git/${ref}`,
    object: { type, sha, url: `${api(baseUrl, repo)}/git/${type}s/${sha}` },
  };
}

function renderCommit(baseUrl: string, repo: FakeRepo, sha: string, state: FakeState) {
  const commit = parseCommit(requireValue(state.object(repo, sha, "commit")).body);
  return {
    sha,
    node_id: `C_${sha}`,
    url: `${api(baseUrl, repo)}/git/commits/${sha}`,
    html_url: `https://github.com/${repo.fullName}/commit/${sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: `${api(baseUrl, repo)}/git/trees/${commit.tree}` },
    parents: commit.parents.map((p) => ({
      sha: p,
      url: `${api(baseUrl, repo)}/git/commits/${p}`,
      html_url: `https://github.com/${repo.fullName}/commit/${p}`,
    })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

function renderTag(baseUrl: string, repo: FakeRepo, sha: string, state: FakeState) {
  const tag = parseTag(requireValue(state.object(repo, sha, "tag")).body);
  return {
    sha,
    node_id: `T_${sha}`,
    url: `${api(baseUrl, repo)}/git/tags/${sha}`,
    tag: tag.tag,
    message: tag.message,
    tagger: tag.tagger,
    object: { type: tag.type, sha: tag.object, url: `${api(baseUrl, repo)}/git/${tag.type}s/${tag.object}` },
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

function signature(state: FakeState, given: Partial<GitSignature> | undefined, login: string): GitSignature {
  return {
    name: given?.name ?? login,
    email: given?.email ?? `${login}@users.noreply.github.com`,
    date: given?.date ?? state.timestamp(),
  };
}

/** Applies a create-tree request: entries by sha or inline content, optionally over base_tree. */
function buildTree(
  state: FakeState,
  repo: FakeRepo,
  baseTree: string | undefined,
  items: TreeItem[],
): string {
  const root = new Map<string, TreeEntry>();
  if (baseTree) {
    const base = requireValue(state.object(repo, baseTree, "tree"), 422, "base_tree is not a valid tree");
    for (const entry of parseTree(base.body)) root.set(entry.name, entry);
  }
  const nested = new Map<string, TreeItem[]>();
  for (const item of items) {
    const [head, ...rest] = item.path.split("/");
    if (rest.length > 0) {
      nested.set(head!, [...(nested.get(head!) ?? []), { ...item, path: rest.join("/") }]);
      continue;
    }
    if (item.sha === null) {
      root.delete(head!);
      continue;
    }
    const sha =
      item.content !== undefined ? state.addObject(repo, "blob", Buffer.from(item.content)) : item.sha;
    if (!sha || !repo.objects.has(sha)) throw new HttpError(422, `tree.sha ${sha} is not a valid blob`);
    root.set(head!, { mode: item.mode === "40000" ? "040000" : item.mode, name: head!, sha });
  }
  for (const [dir, children] of nested) {
    const existing = root.get(dir);
    const sub = buildTree(state, repo, existing?.mode === "040000" ? existing.sha : undefined, children);
    root.set(dir, { mode: "040000", name: dir, sha: sub });
  }
  return state.addObject(repo, "tree", serializeTree([...root.values()]));
}

function renderTree(state: FakeState, repo: FakeRepo, sha: string, recursive: boolean, baseUrl: string) {
  const root = requireValue(state.object(repo, sha, "tree"));
  const tree: unknown[] = [];
  const walk = (body: Buffer, prefix: string) => {
    for (const e of parseTree(body)) {
      const type = e.mode === "040000" ? "tree" : e.mode === "160000" ? "commit" : "blob";
      const size = type === "blob" ? state.object(repo, e.sha)?.body.length : undefined;
      tree.push({
        path: prefix + e.name,
        mode: e.mode,
        type,
        sha: e.sha,
        ...(size === undefined ? {} : { size }),
      });
      if (recursive && type === "tree") walk(state.object(repo, e.sha, "tree")!.body, `${prefix}${e.name}/`);
    }
  };
  walk(root.body, "");
  return { sha, url: `${api(baseUrl, repo)}/git/trees/${sha}`, tree, truncated: false };
}

interface TreeItem {
  path: string;
  mode: string;
  sha?: string | null;
  content?: string;
}

export const gitRoutes: RouteTable = {
  "git/get-blob": ({ state, repo, params, baseUrl }) => {
    const blob = requireValue(state.object(repo, params.file_sha!, "blob"));
    return {
      status: 200,
      body: {
        sha: params.file_sha,
        node_id: `B_${params.file_sha}`,
        size: blob.body.length,
        url: `${api(baseUrl, repo)}/git/blobs/${params.file_sha}`,
        content: blob.body.toString("base64"),
        encoding: "base64",
      },
    };
  },

  "git/create-blob": ({ state, repo, body, baseUrl }) => {
    const content = Buffer.from(body.content, body.encoding === "base64" ? "base64" : "utf8");
    const sha = state.addObject(repo, "blob", content);
    return { status: 201, body: { sha, url: `${api(baseUrl, repo)}/git/blobs/${sha}` } };
  },

  "git/get-tree": ({ state, repo, params, query, baseUrl }) => {
    const recursive = query.recursive !== undefined && query.recursive !== "0" && query.recursive !== "false";
    // GitHub takes a tree sha, or a commit sha or ref name whose tree it lists.
    const wanted = params.tree_sha!;
    const commit = state.object(repo, wanted, "tree") ? undefined : state.resolveCommit(repo, wanted);
    const tree = commit ? parseCommit(state.object(repo, commit, "commit")!.body).tree : wanted;
    return { status: 200, body: renderTree(state, repo, tree, recursive, baseUrl) };
  },

  "git/create-tree": ({ state, repo, body, baseUrl }) => {
    const sha = buildTree(state, repo, body.base_tree, body.tree);
    return { status: 201, body: renderTree(state, repo, sha, false, baseUrl) };
  },

  "git/get-commit": ({ state, repo, params, baseUrl }) => ({
    status: 200,
    body: renderCommit(baseUrl, repo, params.commit_sha!, state),
  }),

  "git/create-commit": ({ state, repo, body, actor, baseUrl }) => {
    requireValue(state.object(repo, body.tree, "tree"), 422, "Tree SHA does not exist");
    for (const parent of body.parents ?? [])
      requireValue(
        state.object(repo, parent, "commit"),
        422,
        "Parent SHA does not exist or is not a commit object",
      );
    const author = signature(state, body.author, actor.login);
    const sha = state.addObject(
      repo,
      "commit",
      serializeCommit({
        tree: body.tree,
        parents: body.parents ?? [],
        author,
        committer: signature(state, body.committer ?? author, actor.login),
        message: body.message,
      }),
    );
    return { status: 201, body: renderCommit(baseUrl, repo, sha, state) };
  },

  "git/create-tag": ({ state, repo, body, actor, baseUrl }) => {
    requireValue(state.object(repo, body.object, body.type), 422, "Object does not exist");
    const sha = state.addObject(
      repo,
      "tag",
      serializeTag({
        object: body.object,
        type: body.type,
        tag: body.tag,
        tagger: signature(state, body.tagger, actor.login),
        message: body.message,
      }),
    );
    return { status: 201, body: renderTag(baseUrl, repo, sha, state) };
  },

  "git/get-tag": ({ state, repo, params, baseUrl }) => ({
    status: 200,
    body: renderTag(baseUrl, repo, params.tag_sha!, state),
  }),

  "git/get-ref": ({ state, repo, params, baseUrl }) => {
    const name = `refs/${params.ref}`;
    const sha = requireValue(repo.refs.get(name));
    return { status: 200, body: renderRef(baseUrl, repo, name, sha, state) };
  },

  "git/list-matching-refs": ({ state, repo, params, baseUrl }) => {
    const prefix = `refs/${params.ref}`;
    const refs = [...repo.refs.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, sha]) => renderRef(baseUrl, repo, name, sha, state));
    return { status: 200, body: refs };
  },

  "git/create-ref": ({ state, repo, body, baseUrl }) => {
    if (!/^refs\/[^/]+\/.+/.test(body.ref))
      throw new HttpError(422, "Reference name must start with 'refs/' and have at least two slashes.");
    if (repo.refs.has(body.ref)) throw new HttpError(422, "Reference already exists");
    requireValue(state.object(repo, body.sha), 422, "Object does not exist");
    repo.refs.set(body.ref, body.sha);
    return { status: 201, body: renderRef(baseUrl, repo, body.ref, body.sha, state) };
  },

  "git/update-ref": ({ state, repo, params, body, baseUrl }) => {
    const name = `refs/${params.ref}`;
    const current = requireValue(repo.refs.get(name), 422, "Reference does not exist");
    requireValue(state.object(repo, body.sha, "commit"), 422, "Object does not exist");
    if (!body.force && !isAncestor(state, repo, current, body.sha)) {
      throw new HttpError(422, "Update is not a fast forward");
    }
    repo.refs.set(name, body.sha);
    return { status: 200, body: renderRef(baseUrl, repo, name, body.sha, state) };
  },

  "git/delete-ref": ({ repo, params }) => {
    const name = `refs/${params.ref}`;
    if (!repo.refs.delete(name)) throw new HttpError(422, "Reference does not exist");
    return { status: 204 };
  },
};

function isAncestor(state: FakeState, repo: FakeRepo, ancestor: string, descendant: string): boolean {
  const seen = new Set<string>();
  const queue = [descendant];
  while (queue.length > 0) {
    const sha = queue.shift()!;
    if (sha === ancestor) return true;
    if (seen.has(sha)) continue;
    seen.add(sha);
    const commit = state.object(repo, sha, "commit");
    if (commit) queue.push(...parseCommit(commit.body).parents);
  }
  return false;
}
