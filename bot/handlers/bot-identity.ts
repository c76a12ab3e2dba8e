/**
 * Who the bot is on GitHub — its app id and its `<slug>[bot]` account — and which API it talks
 * to. Only check runs created by this app id, and comments by this app carrying markers signed
 * with our marker key, are trusted. Looked up once per process with the app's JWT: it is the
 * app's identity, not state about any repository.
 */
import type { Context, Probot } from "probot";
import type { MarkerTrust } from "../../src/core/promotion/index.js";
import type { AppIdentity } from "../../src/core/trust/index.js";
import type { BotDeps } from "./types.js";

const identities = new WeakMap<Probot, Promise<AppIdentity>>();

export function botIdentity(app: Probot): Promise<AppIdentity> {
  let identity = identities.get(app);
  if (!identity) {
    identity = app.auth().then(async (octokit) => {
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data?.slug || typeof data.id !== "number") {
        throw new Error("GitHub did not tell the app its own id and slug");
      }
      return { appId: data.id, login: `${data.slug}[bot]` };
    });
    // A failed lookup is retried next time instead of being cached forever.
    identity.catch(() => identities.delete(app));
    identities.set(app, identity);
  }
  return identity;
}

/** Our identity plus the marker key; a marker failing verification is logged, then ignored. */
export async function botTrust(app: Probot, deps: BotDeps): Promise<MarkerTrust> {
  return {
    us: await botIdentity(app),
    key: deps.markerKey,
    onRejected: (kind, line) =>
      app.log.warn(
        { kind, marker: line.slice(0, 300) },
        "ignored a trainyard marker that failed verification",
      ),
  };
}

/** The REST root the installation token belongs to (api.github.com, a GHES, or the fake). */
export function apiBaseUrl(context: Pick<Context, "octokit">): string {
  return String(context.octokit.request.endpoint.DEFAULTS.baseUrl);
}
