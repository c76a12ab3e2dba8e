/**
 * The two pages of the manifest flow. Everything interpolated is escaped for HTML (the manifest
 * JSON sits in an attribute; the app's name and URLs come back from GitHub), and the pages load
 * nothing from elsewhere.
 */
import type { AppManifest } from "./app-manifest.js";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}
code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}ul{padding-left:1.2rem}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
}

/** One button: POST the manifest to GitHub's "register a new app" page. */
export function renderSetupPage(options: { manifest: AppManifest; action: string }): string {
  const { manifest } = options;
  const events = manifest.default_events.map((e) => `<code>${escapeHtml(e)}</code>`).join(", ");
  const permissions = Object.entries(manifest.default_permissions)
    .map(([scope, level]) => `<li><code>${escapeHtml(scope)}</code>: ${escapeHtml(level)}</li>`)
    .join("");
  const webhook =
    manifest.hook_attributes.active === false
      ? "Webhooks start inactive: set <code>PUBLIC_URL</code> (the bot's public address) before registering, or later set the webhook URL and activate it in the app's settings."
      : `Webhooks go to <code>${escapeHtml(manifest.hook_attributes.url)}</code>.`;
  return page(
    "Register the Trainyard GitHub App",
    `<h1>Register the Trainyard GitHub App</h1>
<p>This bot has no GitHub App credentials yet. The button sends GitHub the app's manifest
(<code>bot/app.yml</code>); GitHub asks you to confirm, then returns here and the bot stores the app id,
private key and webhook secret in <code>.env</code> (readable by you only).</p>
<p>Events: ${events}.</p>
<p>Permissions:</p><ul>${permissions}</ul>
<p>${webhook}</p>
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}">
<button type="submit">Register on GitHub</button>
</form>`,
  );
}

export function renderRegisteredPage(options: { name: string; installUrl: string; envFile: string }): string {
  return page(
    "Trainyard GitHub App registered",
    `<h1>Registered ${escapeHtml(options.name)}</h1>
<p>The credentials are in <code>${escapeHtml(options.envFile)}</code>; the bot is starting with them.</p>
<p>Next: <a href="${escapeHtml(options.installUrl)}">install the app</a> on the repositories it should serve.</p>`,
  );
}

export function renderErrorPage(message: string): string {
  return page(
    "Trainyard setup failed",
    `<h1>Setup failed</h1><p>${escapeHtml(message)}</p><p><a href="/">Start again</a></p>`,
  );
}
