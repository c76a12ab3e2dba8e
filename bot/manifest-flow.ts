/**
 * First run without credentials: a local page that registers the app on GitHub from its manifest
 * (one button), and the callback that trades GitHub's one-time code for the app's credentials
 * (`POST /app-manifests/{code}/conversions`) and stores them in `.env`. Resolves once the
 * credentials are stored, so the caller can start the app with them.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { type AppManifest, manifestFor, readAppManifest } from "./app-manifest.js";
import type { ManifestFlowOptions } from "./env-config.js";
import { updateEnvFile } from "./env-file.js";
import { renderErrorPage, renderRegisteredPage, renderSetupPage } from "./manifest-page.js";
import { DEFAULT_WEBHOOK_PATH } from "./webhook-path.js";

export interface ManifestFlow {
  /** The page to open in a browser. */
  url: string;
  /** Resolves with the app id once `.env` holds the credentials. */
  registered: Promise<{ appId: number }>;
  stop(): Promise<void>;
}

interface Conversion {
  id: number;
  slug?: string;
  name?: string;
  html_url?: string;
  pem: string;
  webhook_secret: string | null;
}

const CODE = /^[\w-]{1,128}$/;

export async function startManifestFlow(
  options: ManifestFlowOptions,
  envFile: string,
  log: Logger,
  manifest: AppManifest = readAppManifest(),
): Promise<ManifestFlow> {
  // One value per process: the callback must come from the form this page served (CSRF).
  const state = randomBytes(24).toString("hex");
  let onRegistered!: (value: { appId: number }) => void;
  const registered = new Promise<{ appId: number }>((resolve) => {
    onRegistered = resolve;
  });
  let done = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    // GitHub sends the browser (and the one-time code) back to the address the page was opened
    // at, so that address must be this machine: a foreign Host header (DNS rebinding, a proxy
    // we do not know) would send the code elsewhere.
    if (!isTrustedHost(req.headers.host, options.publicUrl)) {
      return send(
        res,
        421,
        renderErrorPage(`Open this page as http://localhost:${port()}/ (or set PUBLIC_URL).`),
      );
    }
    if (req.method === "GET" && url.pathname === "/") {
      const origin =
        options.publicUrl && !LOOPBACK.test(req.headers.host!)
          ? options.publicUrl
          : `http://${req.headers.host}`;
      const webhookPath = options.webhookPath ?? DEFAULT_WEBHOOK_PATH;
      const body = manifestFor(manifest, {
        ...(options.publicUrl ? { webhookUrl: `${options.publicUrl}${webhookPath}` } : {}),
        redirectUrl: `${origin}/callback`,
      });
      const where = options.org ? `/organizations/${encodeURIComponent(options.org)}` : "";
      const action = `${options.githubUrl}${where}/settings/apps/new?state=${state}`;
      return send(res, 200, renderSetupPage({ manifest: body, action }));
    }
    if (req.method === "GET" && url.pathname === "/callback") {
      const code = url.searchParams.get("code") ?? "";
      const returned = Buffer.from(url.searchParams.get("state") ?? "");
      if (returned.length !== state.length || !timingSafeEqual(returned, Buffer.from(state))) {
        log.warn("manifest callback refused: state does not match the page this bot served");
        return send(res, 403, renderErrorPage("This link did not come from this bot's setup page."));
      }
      if (done) return send(res, 409, renderErrorPage("The app is already registered."));
      if (!CODE.test(code)) return send(res, 400, renderErrorPage("GitHub's code is missing or malformed."));
      done = true;
      convert(options.apiUrl, code)
        .then((app) => {
          // A failure here (a read-only folder) leaves a registered app without stored
          // credentials: the page says so, since GitHub's code cannot be exchanged twice.
          updateEnvFile(envFile, {
            APP_ID: String(app.id),
            PRIVATE_KEY: app.pem,
            WEBHOOK_SECRET: app.webhook_secret ?? "",
          });
          return app;
        })
        .then(
          (app) => {
            log.info({ appId: app.id, slug: app.slug, envFile }, "GitHub App registered; credentials stored");
            const installUrl = app.html_url ? `${app.html_url}/installations/new` : options.githubUrl;
            const name = app.name ?? app.slug ?? `app ${app.id}`;
            send(res, 200, renderRegisteredPage({ name, installUrl, envFile }));
            onRegistered({ appId: app.id });
          },
          (thrown: unknown) => {
            done = false;
            const message = thrown instanceof Error ? thrown.message : String(thrown);
            log.error({ err: message }, "manifest registration failed");
            send(res, 502, renderErrorPage(`Registration did not complete: ${message}`));
          },
        );
      return;
    }
    send(res, 404, renderErrorPage("Not found."));
  });
  const port = () => (server.address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  const url = `http://${shownHost}:${port()}/`;
  log.info({ url }, "no GitHub App credentials: open this page to register the app");
  return {
    url,
    registered,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

function isTrustedHost(host: string | undefined, publicUrl: string | undefined): boolean {
  if (!host) return false;
  if (LOOPBACK.test(host)) return true;
  return publicUrl !== undefined && new URL(publicUrl).host.toLowerCase() === host.toLowerCase();
}

async function convert(apiUrl: string, code: string): Promise<Conversion> {
  const response = await fetch(`${apiUrl}/app-manifests/${encodeURIComponent(code)}/conversions`, {
    method: "POST",
    headers: { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
    signal: AbortSignal.timeout(30_000),
  });
  if (response.status !== 201) throw new Error(`HTTP ${response.status}`);
  const app = (await response.json()) as Partial<Conversion>;
  if (typeof app.id !== "number" || typeof app.pem !== "string" || !app.webhook_secret) {
    throw new Error("the answer lacks the app id, private key or webhook secret");
  }
  return app as Conversion;
}

function send(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
  });
  res.end(html);
}
