/** Releases (create and list) and the pull requests that lead to a commit. */
import type { FakeRepo, FakeState } from "../state.js";
import { renderPull, renderUser } from "./render.js";
import { HttpError, paginate, type RouteTable } from "./types.js";

export interface FakeRelease {
  id: number;
  tagName: string;
  name: string | null;
  body: string | null;
  author: string;
}

const releases = new WeakMap<FakeRepo, FakeRelease[]>();

export function releasesOf(repo: FakeRepo): FakeRelease[] {
  let list = releases.get(repo);
  if (!list) {
    list = [];
    releases.set(repo, list);
  }
  return list;
}

function render(state: FakeState, repo: FakeRepo, release: FakeRelease, baseUrl: string) {
  return {
    id: release.id,
    node_id: `RE_${release.id}`,
    tag_name: release.tagName,
    name: release.name,
    body: release.body,
    draft: false,
    prerelease: false,
    author: renderUser(state.user(release.author), baseUrl),
    url: `${baseUrl}/repos/${repo.fullName}/releases/${release.id}`,
    html_url: `https://github.com/${repo.fullName}/releases/tag/${encodeURIComponent(release.tagName)}`,
    assets: [],
  };
}

export const releaseRoutes: RouteTable = {
  "repos/create-release": ({ state, repo, body, actor, baseUrl }) => {
    const list = releasesOf(repo);
    if (list.some((r) => r.tagName === body.tag_name)) throw new HttpError(422, "Validation Failed");
    if (!repo.refs.has(`refs/tags/${body.tag_name}`)) throw new HttpError(422, "tag does not exist");
    const release: FakeRelease = {
      id: state.nextId(),
      tagName: body.tag_name,
      name: body.name ?? null,
      body: body.body ?? null,
      author: actor.login,
    };
    list.push(release);
    return { status: 201, body: render(state, repo, release, baseUrl) };
  },

  "repos/list-releases": ({ state, repo, query, baseUrl }) => ({
    status: 200,
    body: paginate([...releasesOf(repo)].reverse(), query).map((r) => render(state, repo, r, baseUrl)),
  }),

  // GitHub's own answer includes PRs whose head or merge commit is this commit.
  "repos/list-pull-requests-associated-with-commit": ({ state, repo, params, query, baseUrl }) => {
    const sha = params.commit_sha;
    const pulls = [...repo.pulls.values()].filter((p) => p.head.sha === sha || p.mergeCommitSha === sha);
    return { status: 200, body: paginate(pulls, query).map((p) => renderPull(state, repo, p, baseUrl)) };
  },
};
