import { renderPull } from "./render.js";
import { type RouteTable, paginate, requireValue } from "./types.js";

export const pullRoutes: RouteTable = {
  "pulls/get": ({ state, repo, params, baseUrl }) => {
    const pull = requireValue(repo.pulls.get(Number(params.pull_number)));
    return { status: 200, body: renderPull(state, repo, pull, baseUrl) };
  },

  "pulls/list": ({ state, repo, query, baseUrl }) => {
    const wanted = (query.state as string | undefined) ?? "open";
    const pulls = [...repo.pulls.values()]
      .filter((p) => wanted === "all" || (repo.issues.get(p.number)?.state ?? "open") === wanted)
      .filter((p) => !query.head || `${state.repo(p.head.repo).owner.login}:${p.head.ref}` === query.head)
      .filter((p) => !query.base || p.base.ref === query.base)
      .sort((a, b) => b.number - a.number);
    return { status: 200, body: paginate(pulls, query).map((p) => renderPull(state, repo, p, baseUrl)) };
  },
};
