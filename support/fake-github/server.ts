/**
 * The loopback fake GitHub: a node:http server that routes every request through GitHub's own
 * OpenAPI description, validates it, authenticates it like GitHub, runs the handler for its
 * operationId and validates the response. Anything off — an unknown route, a body GitHub would
 * refuse, a handler answering the wrong shape, an operation the fake does not implement — is
 * answered like GitHub would (4xx) AND recorded in `failures`, so tests assert it stayed empty.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Caller, identifyCaller } from "./app-auth.js";
import { fillFromSchema } from "./fill-schema.js";
import { type GitHubOpenApi, loadGitHubOpenApi } from "./openapi-validator.js";
import { appRoutes } from "./routes/apps.js";
import { checkRoutes } from "./routes/checks.js";
import { deploymentRoutes } from "./routes/deployments.js";
import { gitRoutes } from "./routes/git.js";
import { issueRoutes } from "./routes/issues.js";
import { pullRoutes } from "./routes/pulls.js";
import { releaseRoutes } from "./routes/releases.js";
import { repoRoutes } from "./routes/repos.js";
import { teamRoutes } from "./routes/teams.js";
import { HttpError, type RouteContext, type RouteTable } from "./routes/types.js";
import { FakeState, type WriteRecord } from "./state.js";
import { createWebhookSender, type WebhookSender } from "./webhooks.js";

export interface FakeGitHub {
  url: string;
  state: FakeState;
  /** Problems the tests should see: invalid requests, unknown routes, responses off-schema. */
  failures: string[];
  /** Add or replace handlers (keyed by operationId) — how later features extend the fake. */
  routes: RouteTable;
  sendWebhook: WebhookSender["send"];
  webhooks: WebhookSender;
  stop(): Promise<void>;
}

export interface FakeGitHubOptions {
  /** Where webhooks go and the secret they are signed with; can also be set later on `webhooks`. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Extra or replacement handlers. */
  routes?: RouteTable;
}

const MAX_BODY = 100 * 1024 * 1024; // GitHub's own limit on a blob upload

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const openapi = await loadGitHubOpenApi();
  const state = new FakeState();
  const failures: string[] = [];
  const routes: RouteTable = {
    ...appRoutes,
    ...repoRoutes,
    ...gitRoutes,
    ...pullRoutes,
    ...issueRoutes,
    ...checkRoutes,
    ...deploymentRoutes,
    ...teamRoutes,
    ...releaseRoutes,
    ...options.routes,
  };
  let baseUrl = "";
  const server = createServer((req, res) => {
    handle(openapi, state, routes, failures, baseUrl, req, res).catch((error: unknown) => {
      failures.push(`${req.method} ${req.url}: handler crashed: ${String(error)}`);
      if (!res.headersSent) send(res, 500, { message: "fake GitHub crashed" });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const webhooks = createWebhookSender(state, baseUrl, failures, options.webhookUrl, options.webhookSecret);
  return {
    url: baseUrl,
    state,
    failures,
    routes,
    webhooks,
    sendWebhook: webhooks.send,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function handle(
  openapi: GitHubOpenApi,
  state: FakeState,
  routes: RouteTable,
  failures: string[],
  baseUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const method = req.method ?? "GET";
  const url = req.url ?? "/";
  const raw = await readBody(req);
  const delivery = req.headers["x-github-delivery"];
  let installationId: number | undefined;
  const record = (status: number, operationId: string) => {
    const entry: WriteRecord = {
      method,
      path: url,
      operationId,
      status,
      ...(installationId === undefined ? {} : { installationId }),
      ...(typeof delivery === "string" ? { delivery } : {}),
    };
    state.requests.push(entry);
    if (method !== "GET" && method !== "HEAD" && status < 300) state.writes.push(entry);
  };
  if (raw === undefined) return send(res, 413, { message: "Payload too large" });

  const match = openapi.match(method, url);
  if (!match) {
    failures.push(`${method} ${url}: no such route in GitHub's REST API`);
    record(404, "");
    return send(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  }
  const { operation, operationId } = match;
  let body: unknown;
  try {
    body = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : undefined;
  } catch {
    failures.push(`${method} ${url}: body is not JSON`);
    record(400, operationId);
    return send(res, 400, { message: "Problems parsing JSON" });
  }
  const headers = { "content-type": "application/json", ...req.headers } as Record<string, string | string[]>;
  const validation = openapi.validateRequest({ method, path: url, headers, body }, operation);
  if (!validation.valid) {
    failures.push(`${method} ${url} (${operationId}): invalid request: ${validation.errors.join("; ")}`);
    record(422, operationId);
    return send(res, 422, { message: "Invalid request.", errors: validation.errors });
  }

  const caller = identifyCaller(state, req.headers.authorization);
  if (caller.kind === "token") installationId = caller.token.installationId;
  const denied = authorize(state, caller, match.params, operation.path);
  if (denied) {
    record(denied.status, operationId);
    return send(res, denied.status, { message: denied.message });
  }

  const fault = state.faults.find((f) => f.operationId === operationId && f.times > 0);
  if (fault) {
    fault.times -= 1;
    record(fault.status, operationId);
    return send(res, fault.status, { message: "injected failure" });
  }

  const handler = routes[operationId];
  if (!handler) {
    failures.push(`${method} ${url}: ${operationId} is not implemented by the fake`);
    record(501, operationId);
    return send(res, 501, { message: `fake GitHub does not implement ${operationId}` });
  }
  const owner = match.params.owner;
  const repoName = match.params.repo;
  const ctx: RouteContext = {
    state,
    params: match.params,
    query: match.query,
    body,
    caller,
    repo: (owner && repoName ? state.findRepo(owner, repoName) : undefined)!,
    actor:
      caller.kind === "token"
        ? caller.token.actor
        : caller.kind === "app"
          ? caller.app.owner
          : state.user("ghost"),
    baseUrl,
  };
  let status: number;
  let responseBody: unknown;
  try {
    const result = await handler(ctx);
    status = result.status;
    responseBody = fillFromSchema(openapi.responseSchema(operation, status), result.body);
    const check = openapi.validateResponse(responseBody, operation, status);
    if (!check.valid) {
      failures.push(
        `${method} ${url} (${operationId}): response ${status} off-schema: ${check.errors.join("; ")}`,
      );
    }
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    status = error.status;
    responseBody = { message: error.message, documentation_url: "https://docs.github.com/rest" };
  }
  record(status, operationId);
  // Latency after the answer was computed: the caller acts on what was true when it asked.
  const delay = state.delays.find((d) => d.operationId === operationId && d.times > 0);
  if (delay) {
    delay.times -= 1;
    await new Promise((resolve) => setTimeout(resolve, delay.ms));
  }
  const barrier = state.barriers.find((b) => b.operationId === operationId);
  if (barrier) {
    await new Promise<void>((release) => {
      barrier.held.push(release);
      const open = () => {
        const at = state.barriers.indexOf(barrier);
        if (at >= 0) state.barriers.splice(at, 1);
        for (const waiting of barrier.held) waiting();
      };
      if (barrier.held.length >= barrier.count) return open();
      // Never hang a test: a race partner that does not come is a failure, not a deadlock.
      setTimeout(() => {
        if (!state.barriers.includes(barrier)) return;
        failures.push(`${operationId}: barrier of ${barrier.count} timed out with ${barrier.held.length}`);
        open();
      }, 15_000).unref();
    });
  }
  send(res, status, responseBody);
}

/** GitHub's rules, reduced: app routes need the app JWT, repo routes a token reaching the repo. */
function authorize(
  state: FakeState,
  caller: Caller,
  params: Record<string, string>,
  path: string,
): { status: number; message: string } | undefined {
  if (caller.kind === "invalid") return { status: 401, message: caller.reason };
  const isAppRoute = path === "/app" || path.startsWith("/app/");
  if (isAppRoute) {
    return caller.kind === "app"
      ? undefined
      : { status: 401, message: "A JSON web token could not be decoded" };
  }
  if (caller.kind === "app") {
    // An app JWT may only read its installations on repository routes.
    return path.endsWith("/installation") ? undefined : { status: 401, message: "Bad credentials" };
  }
  if (params.owner && params.repo) {
    if (caller.kind === "anonymous") return { status: 401, message: "Requires authentication" };
    const repo = state.findRepo(params.owner, params.repo);
    if (!repo || !caller.token.repos.has(repo.fullName)) return { status: 404, message: "Not Found" };
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = body === undefined || status === 204 ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "x-github-media-type": "github.v3; format=json",
  });
  res.end(text);
}
