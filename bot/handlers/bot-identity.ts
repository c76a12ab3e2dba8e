/**
 * Who the bot is on GitHub (`<slug>[bot]`) and which API it talks to. Only comments by this
 * account carry markers the bot trusts. Looked up once per process with the app's JWT — it is
 * the app's identity, not state about any repository.
 */
import type { Context, Probot } from "probot";

const logins = new WeakMap<Probot, Promise<string>>();

export function botLogin(app: Probot): Promise<string> {
  let login = logins.get(app);
  if (!login) {
    login = app.auth().then(async (octokit) => {
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data?.slug) throw new Error("GitHub did not tell the app its own slug");
      return `${data.slug}[bot]`;
    });
    // A failed lookup is retried next time instead of being cached forever.
    login.catch(() => logins.delete(app));
    logins.set(app, login);
  }
  return login;
}

/** The REST root the installation token belongs to (api.github.com, a GHES, or the fake). */
export function apiBaseUrl(context: Pick<Context, "octokit">): string {
  return String(context.octokit.request.endpoint.DEFAULTS.baseUrl);
}
