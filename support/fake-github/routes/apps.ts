import { randomBytes } from "node:crypto";
import { createInstallationToken, generateAppKeyPair } from "../app-auth.js";
import type { FakeInstallation } from "../state.js";
import { renderRepo, renderUser } from "./render.js";
import { HttpError, paginate, type RouteTable, requireValue } from "./types.js";

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
  // The manifest flow's last step: the one-time code becomes an app with a fresh key and secret.
  "apps/create-from-manifest": ({ state, params, baseUrl }) => {
    const manifest = state.manifestCodes.get(params.code!);
    if (!manifest) throw new HttpError(404, "Not Found");
    state.manifestCodes.delete(params.code!);
    const { privateKey, publicKey } = generateAppKeyPair();
    const name = String(manifest.name ?? "app");
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const app = state.registerApp({ id: 10_000 + state.apps.size, slug, publicKey });
    const now = state.now().toISOString();
    return {
      status: 201,
      body: {
        id: app.id,
        slug,
        node_id: `A_${app.id}`,
        client_id: `Iv1.${randomBytes(8).toString("hex")}`,
        client_secret: randomBytes(20).toString("hex"),
        webhook_secret: randomBytes(20).toString("hex"),
        pem: privateKey,
        owner: renderUser(app.owner, baseUrl),
        name,
        description: String(manifest.description ?? ""),
        external_url: String(manifest.url ?? ""),
        html_url: `https://github.com/apps/${slug}`,
        created_at: now,
        updated_at: now,
        permissions: manifest.default_permissions ?? {},
        events: manifest.default_events ?? [],
      },
    };
  },

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

  "apps/list-installations": ({ state, query, caller, baseUrl }) => {
    if (caller.kind !== "app") throw new HttpError(401, "A JSON web token could not be decoded");
    const list = [...state.installations.values()];
    return {
      status: 200,
      body: paginate(list, query).map((i) => renderInstallation(i, caller.app.id, baseUrl)),
    };
  },

  "apps/list-repos-accessible-to-installation": ({ state, query, caller, baseUrl }) => {
    if (caller.kind !== "token" || caller.token.installationId === undefined) {
      throw new HttpError(403, "This endpoint needs an installation access token");
    }
    const repos = [...caller.token.repos].sort().map((fullName) => state.repo(fullName));
    return {
      status: 200,
      body: {
        total_count: repos.length,
        repository_selection: "selected",
        repositories: paginate(repos, query).map((r) => renderRepo(r, baseUrl)),
      },
    };
  },
};
