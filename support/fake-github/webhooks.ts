/**
 * Webhook deliveries as GitHub sends them: a payload built from `@octokit/webhooks-examples`
 * (or, for events without an example, from the `@octokit/openapi-webhooks` schema), adjusted to
 * the fake's repository/PR/installation, signed with `X-Hub-Signature-256` (HMAC-SHA256 over the
 * exact bytes sent) and POSTed over HTTP.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { completeWebhookPayload, schemaPayload, validateWebhookPayload } from "./webhook-schemas.js";
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
  failures: string[],
  url?: string,
  secret?: string,
): WebhookSender {
  const target: WebhookSender["target"] = { url, secret };
  const installationFor = (fullName: string, given?: number) => {
    const id =
      given ?? [...state.installations.values()].find((i) => i.repos.has(state.repo(fullName).fullName))?.id;
    return id === undefined ? undefined : { id, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${id}` };
  };

  const checked = (event: string, action: string | undefined, payload: Payload): Payload => {
    const complete = completeWebhookPayload(event, action, payload);
    const problems = validateWebhookPayload(event, action, complete);
    if (problems.length > 0) {
      failures.push(`webhook ${event}.${action ?? ""} payload off-schema: ${problems.join("; ")}`);
    }
    return complete;
  };

  const build = (
    event: string,
    action: string | undefined,
    fullName: string,
    extra: Payload = {},
  ): Payload => {
    // Prefer an example that matches GitHub's current schema (some community examples are old).
    const candidates = examplePayloads(event).filter((e) => !action || e.action === action);
    const example =
      candidates.find((e) => validateWebhookPayload(event, action, e).length === 0) ?? candidates[0];
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
  const eventPayload: WebhookSender["eventPayload"] = (event, action, fullName, extra = {}) =>
    checked(event, action, build(event, action, fullName, extra));

  return {
    target,
    eventPayload,
    pullRequestPayload(action, fullName, number, installationId) {
      const repo = state.repo(fullName);
      const pull = repo.pulls.get(number);
      if (!pull) throw new Error(`fake GitHub: no pull #${number} in ${fullName}`);
      const rendered = renderPull(state, repo, pull, baseUrl);
      const issue = repo.issues.get(number)!;
      const base = build("pull_request", action, fullName);
      const example = base.pull_request as Payload;
      const side = (ours: Payload, theirs: unknown) => ({
        ...(theirs as Payload),
        ...ours,
        repo: { ...((theirs as Payload).repo as Payload), ...(ours.repo as Payload) },
      });
      const installation = installationFor(fullName, installationId);
      return checked("pull_request", action, {
        ...base,
        number,
        pull_request: {
          ...example,
          ...rendered,
          head: side(rendered.head, example.head),
          base: side(rendered.base, example.base),
          user: { ...(example.user as Payload), ...renderUser(issue.user, baseUrl) },
          // The fake keeps no reviewers or assignees: say so rather than echo the example's.
          requested_reviewers: [],
          requested_teams: [],
          assignees: [],
          assignee: null,
          milestone: null,
        },
        sender: { ...(base.sender as Payload), ...renderUser(issue.user, baseUrl) },
        ...(action === "synchronize" ? { after: pull.head.sha } : {}),
        ...(installation ? { installation } : {}),
      });
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
