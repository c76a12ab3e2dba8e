/**
 * Starts the Trainyard bot: a Probot instance (App auth against `baseUrl`, e.g. a GHES or the
 * loopback fake) behind our own small node:http server (see receive-webhook.ts for why).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type DestinationStream, pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { deriveMarkerKey } from "../src/core/trust/index.js";
import { createTrainyardApp } from "./index.js";
import { createInstallationCachingAuth } from "./installation-octokits.js";
import { watchReadiness } from "./readiness.js";
import { startReconciler } from "./reconcile.js";
import { createWebhookReceiver } from "./receive-webhook.js";
import { DEFAULT_WEBHOOK_PATH } from "./webhook-path.js";
import type { UnfinishedJob, WorkQueue } from "./work-queue.js";

export { DEFAULT_WEBHOOK_PATH };

export interface BotOptions {
  appId: number | string;
  privateKey: string;
  secret: string;
  /** REST root, default https://api.github.com. */
  baseUrl?: string;
  port?: number;
  host?: string;
  webhookPath?: string;
  /** Larger deliveries are refused with 413 (GitHub caps its own at 25 MB; ours are far smaller). */
  maxBodyBytes?: number;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
  /**
   * Probot's throttling (GitHub's advice: space content-creating requests ~1 s apart) and retry
   * plugins. Default on; tests and the demo against the loopback fake turn them off.
   */
  throttleAndRetry?: boolean;
  /** Where logs go (default stdout). */
  logDestination?: DestinationStream;
  /**
   * Redo work lost to a crash on start and then every this many ms (see reconcile.ts).
   * Unset or 0: off (tests drive the app delivery by delivery); `npm run bot` turns it on.
   */
  reconcileIntervalMs?: number;
}

export interface RunningBot {
  /** Full webhook URL to configure on the app (or the fake's webhook target). */
  webhookUrl: string;
  port: number;
  queue: WorkQueue;
  probot: Probot;
  /** Resolves when all work enqueued so far is done. */
  idle(): Promise<void>;
  /** Resolves with the bot's login once its identity is known (then `/readyz` answers 200). */
  identity: Promise<string>;
  /**
   * Stops taking deliveries (new ones get 503 and GitHub records them as failed, for a
   * redelivery), then waits for queued work — at most `timeoutMs` when given — and returns the
   * jobs that did not finish.
   */
  stop(options?: { timeoutMs?: number }): Promise<{ unfinished: UnfinishedJob[] }>;
}

// A function default runs before ProbotOctokit's own, so `enabled: false` survives its merge
// (an object default would be overwritten by the throttle options Probot passes in).
const WithoutThrottleOrRetry = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object), enabled: false },
  retry: { enabled: false },
}));

const CachingOctokit = ProbotOctokit.defaults({ authStrategy: createInstallationCachingAuth });
const CachingWithoutThrottleOrRetry = WithoutThrottleOrRetry.defaults({
  authStrategy: createInstallationCachingAuth,
});

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const log = pino(
    {
      name: "trainyard-bot",
      level: options.logLevel ?? "info",
      // Defence in depth: these never belong in a log line, whoever logs them.
      redact: {
        paths: [
          "privateKey",
          "secret",
          "*.privateKey",
          "*.secret",
          "headers.authorization",
          "*.headers.authorization",
        ],
        censor: "[redacted]",
      },
    },
    options.logDestination ?? pino.destination(1),
  );
  const probot = new Probot({
    appId: options.appId,
    privateKey: options.privateKey,
    secret: options.secret,
    log,
    Octokit: options.throttleAndRetry === false ? CachingWithoutThrottleOrRetry : CachingOctokit,
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : {}),
  });
  let deps: ReturnType<ReturnType<typeof createTrainyardApp>> | undefined;
  await probot.load((app) => {
    deps = createTrainyardApp({ markerKey: deriveMarkerKey(options.secret) })(app);
  });
  await probot.ready();
  const receive = createWebhookReceiver({
    probot,
    secret: options.secret,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  });
  const path = options.webhookPath ?? DEFAULT_WEBHOOK_PATH;
  const readiness = watchReadiness(probot);
  let draining = false;
  const server = createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method === "POST" && url === path) {
      if (draining) {
        res.writeHead(503, { "content-type": "text/plain", connection: "close" }).end("shutting down\n");
        return;
      }
      receive(req, res).catch((thrown: unknown) => {
        log.error({ err: String(thrown) }, "webhook receiver crashed");
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (req.method === "GET" && url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    if (req.method === "GET" && url === "/readyz") {
      const ready = readiness.isReady() && !draining;
      res
        .writeHead(ready ? 200 : 503, { "content-type": "text/plain" })
        .end(ready ? "ready\n" : "not ready\n");
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  server.keepAliveTimeout = 5000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const queue = deps!.queue;
  const reconciler = options.reconcileIntervalMs
    ? startReconciler(probot, deps!, options.reconcileIntervalMs)
    : undefined;
  log.info({ port, host }, "trainyard bot listening");
  return {
    webhookUrl: `http://${host}:${port}${path}`,
    port,
    queue,
    probot,
    idle: () => queue.idle(),
    identity: readiness.identity,
    async stop(stopOptions = {}) {
      draining = true;
      readiness.stop();
      reconciler?.stop();
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeIdleConnections();
      const drained = queue.idle().then(() => true);
      const finished =
        stopOptions.timeoutMs === undefined
          ? await drained
          : await Promise.race([drained, delay(stopOptions.timeoutMs).then(() => false)]);
      server.closeAllConnections();
      await closed;
      return { unfinished: finished ? [] : queue.unfinished() };
    },
  };
}
