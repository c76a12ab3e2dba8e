/**
 * Webhook deliveries as GitHub sends them: a payload built from `@octokit/webhooks-examples`
 * (or, for events without an example, from the `@octokit/openapi-webhooks` schema), adjusted to
 * the fake's repository/PR/installation, signed with `X-Hub-Signature-256` (HMAC-SHA256 over the
 * exact bytes sent) and POSTed over HTTP.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { OpenAPIV3 } from "openapi-types";
import { fillFromSchema } from "./fill-schema.js";
import { renderPull, renderRepo, renderUser } from "./routes/render.js";
import type { FakeState } from "./state.js";

const require = createRequire(import.meta.url);
type Payload = Record<string, unknown>;
interface ExampleGroup {
  name: string;
  examples: Payload[];
}

let examples: ExampleGroup[] | undefined;
function loadExamples(): ExampleGroup[] {
  examples ??= JSON.parse(
    readFileSync(require.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8"),
  ) as ExampleGroup[];
  return examples;
}

/** All example payloads of one event (e.g. every `pull_request` example), deep-copied. */
export function examplePayloads(event: string): Payload[] {
  return structuredClone(loadExamples().find((g) => g.name === event)?.examples ?? []);
}

let webhookDoc: { webhooks: Record<string, unknown>; components: unknown } | undefined;
/** A payload with every required field, from GitHub's webhook schema (`event-action`). */
export function schemaPayload(event: string, action?: string): Payload {
  webhookDoc ??= JSON.parse(
    readFileSync(require.resolve("@octokit/openapi-webhooks/generated/api.github.com.json"), "utf8"),
  );
  const key = [event, action].filter(Boolean).join("-").replaceAll("_", "-");
  const entry = webhookDoc!.webhooks[key] as
    | { post: { requestBody: { content: Record<string, { schema: unknown }> } } }
    | undefined;
  if (!entry) throw new Error(`fake GitHub: no webhook schema for ${key}`);
  const schema = resolveRefs(entry.post.requestBody.content["application/json"]!.schema, webhookDoc, 0);
  // Fill every top-level property, not only the required ones, so handlers see a realistic event.
  const properties = (schema as OpenAPIV3.SchemaObject).properties ?? {};
  const complete = { ...(schema as OpenAPIV3.SchemaObject), required: Object.keys(properties) };
  return fillFromSchema(complete, action ? { action } : {}) as Payload;
}

function resolveRefs(node: unknown, doc: unknown, depth: number): unknown {
  if (depth > 14 || typeof node !== "object" || node === null) return node;
  if (Array.isArray(node)) return node.map((n) => resolveRefs(n, doc, depth));
  const ref = (node as { $ref?: string }).$ref;
  if (ref) {
    const target = ref
      .slice(2)
      .split("/")
      .reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], doc);
    return resolveRefs(target, doc, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveRefs(v, doc, depth)]));
}

export interface DeliveryOptions {
  /** Defaults to a fresh UUID; reuse one to simulate a redelivery. */
  deliveryId?: string;
  /** Sign with this secret instead of the configured one (a forged delivery). */
  secret?: string;
  /** Send this exact signature header; `null` sends none. */
  signature?: string | null;
  /** Send this exact body instead of JSON.stringify(payload). */
  rawBody?: string | Buffer;
}

export interface DeliveryResult {
  status: number;
  body: string;
  deliveryId: string;
  /** Milliseconds from sending to the response (the bot's acknowledgement). */
  elapsedMs: number;
}

export interface WebhookSender {
  target: { url?: string; secret?: string };
  send(event: string, payload: Payload, options?: DeliveryOptions): Promise<DeliveryResult>;
  /** A `pull_request` payload for this PR as it is now in the fake (head/base shas, refs, repos). */
  pullRequestPayload(action: string, fullName: string, number: number, installationId?: number): Payload;
  /** Any event: an example (or schema-built) payload with repository, installation and sender set. */
  eventPayload(event: string, action: string | undefined, fullName: string, extra?: Payload): Payload;
}

export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function createWebhookSender(
  state: FakeState,
  baseUrl: string,
  url?: string,
  secret?: string,
): WebhookSender {
  const target: WebhookSender["target"] = { url, secret };
  const installationFor = (fullName: string, given?: number) => {
    const id =
      given ?? [...state.installations.values()].find((i) => i.repos.has(state.repo(fullName).fullName))?.id;
    return id === undefined ? undefined : { id, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${id}` };
  };

  const eventPayload: WebhookSender["eventPayload"] = (event, action, fullName, extra = {}) => {
    const candidates = examplePayloads(event);
    const example = candidates.find((e) => e.action === action) ?? (action ? undefined : candidates[0]);
    const payload = example ?? schemaPayload(event, action);
    const repo = state.repo(fullName);
    const installation = installationFor(fullName);
    return {
      ...payload,
      ...(action ? { action } : {}),
      repository: { ...(payload.repository as Payload), ...renderRepo(repo, baseUrl) },
      sender: { ...(payload.sender as Payload), ...renderUser(repo.owner, baseUrl) },
      ...(installation ? { installation } : {}),
      ...extra,
    };
  };

  return {
    target,
    eventPayload,
    pullRequestPayload(action, fullName, number, installationId) {
      const repo = state.repo(fullName);
      const pull = repo.pulls.get(number);
      if (!pull) throw new Error(`fake GitHub: no pull #${number} in ${fullName}`);
      const rendered = renderPull(state, repo, pull, baseUrl);
      const issue = repo.issues.get(number)!;
      const base = eventPayload("pull_request", action, fullName);
      const example = base.pull_request as Payload;
      const side = (ours: Payload, theirs: unknown) => ({
        ...(theirs as Payload),
        ...ours,
        repo: { ...((theirs as Payload).repo as Payload), ...(ours.repo as Payload) },
      });
      const installation = installationFor(fullName, installationId);
      return {
        ...base,
        number,
        pull_request: {
          ...example,
          ...rendered,
          head: side(rendered.head, example.head),
          base: side(rendered.base, example.base),
          user: { ...(example.user as Payload), ...renderUser(issue.user, baseUrl) },
        },
        sender: { ...(base.sender as Payload), ...renderUser(issue.user, baseUrl) },
        ...(action === "synchronize" ? { after: pull.head.sha } : {}),
        ...(installation ? { installation } : {}),
      };
    },
    async send(event, payload, options = {}) {
      if (!target.url) throw new Error("fake GitHub: no webhook target configured");
      const body = options.rawBody ?? JSON.stringify(payload);
      const deliveryId = options.deliveryId ?? randomUUID();
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/fake",
        "x-github-event": event,
        "x-github-delivery": deliveryId,
      };
      const secretToUse = options.secret ?? target.secret;
      if (options.signature !== null) {
        const signature = options.signature ?? (secretToUse ? sign(secretToUse, body) : undefined);
        if (signature) headers["x-hub-signature-256"] = signature;
      }
      const started = performance.now();
      const response = await fetch(target.url, { method: "POST", headers, body });
      const text = await response.text();
      return { status: response.status, body: text, deliveryId, elapsedMs: performance.now() - started };
    },
  };
}
