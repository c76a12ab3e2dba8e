import { createInstallationToken } from "../app-auth.js";
import type { FakeInstallation } from "../state.js";
import { renderUser } from "./render.js";
import { HttpError, type RouteTable, requireValue } from "./types.js";

function renderInstallation(installation: FakeInstallation, appId: number, baseUrl: string) {
  return {
    id: installation.id,
    app_id: appId,
    account: renderUser(installation.account, baseUrl),
    target_id: installation.account.id,
    target_type: installation.account.type === "Organization" ? "Organization" : "User",
    repository_selection: "selected",
    permissions: installation.permissions,
    events: [],
    access_tokens_url: `${baseUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${baseUrl}/installation/repositories`,
    html_url: `https://github.com/settings/installations/${installation.id}`,
  };
}

export const appRoutes: RouteTable = {
  "apps/get-authenticated": ({ caller, baseUrl }) => {
    if (caller.kind !== "app") throw new HttpError(401, "Bad credentials");
    const { app } = caller;
    return {
      status: 200,
      body: {
        id: app.id,
        slug: app.slug,
        name: app.name,
        owner: renderUser(app.owner, baseUrl),
        permissions: {},
      },
    };
  },

  "apps/create-installation-access-token": ({ state, params }) => {
    const issued = requireValue(createInstallationToken(state, Number(params.installation_id)));
    return {
      status: 201,
      body: {
        token: issued.token,
        expires_at: issued.expiresAt,
        permissions: issued.installation.permissions,
        repository_selection: "selected",
        repositories: [...issued.installation.repos].map((fullName) => {
          const repo = state.repo(fullName);
          return { id: repo.id, name: repo.name, full_name: repo.fullName };
        }),
      },
    };
  },

  "apps/get-repo-installation": ({ state, params, caller, baseUrl }) => {
    const repo = requireValue(state.findRepo(params.owner!, params.repo!));
    const installation = requireValue(
      [...state.installations.values()].find((i) => i.repos.has(repo.fullName)),
    );
    const appId = caller.kind === "app" ? caller.app.id : 0;
    return { status: 200, body: renderInstallation(installation, appId, baseUrl) };
  },
};
