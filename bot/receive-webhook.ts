/**
 * The webhook edge, in front of Probot: size limit, header checks, signature verification
 * (HMAC-SHA256 over the bytes as received, constant-time compare), delivery-id de-duplication,
 * then dispatch. Nothing reaches a handler — and so no API call happens — before the signature
 * is verified. Handlers only enqueue work, so the answer goes back within milliseconds.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { RecentDeliveries } from "./recent-deliveries.js";

export interface ReceiveOptions {
  probot: Probot;
  /** The webhook secret the signatures are made with. */
  secret: string;
  maxBodyBytes: number;
  /** Remembers this many delivery ids to ignore redeliveries. */
  rememberDeliveries?: number;
}

const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

export function createWebhookReceiver(options: ReceiveOptions) {
  const seen = new RecentDeliveries(options.rememberDeliveries ?? 10_000);
  const log = options.probot.log.child({ name: "trainyard-webhooks" });

  return async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > options.maxBodyBytes) return reply(res, 413, "payload too large", true);
    const body = await readLimited(req, options.maxBodyBytes);
    if (body === undefined) return reply(res, 413, "payload too large", true);

    const event = req.headers["x-github-event"];
    const delivery = req.headers["x-github-delivery"];
    const signature = req.headers["x-hub-signature-256"];
    if (typeof event !== "string" || typeof delivery !== "string" || !event || !delivery) {
      return reply(res, 400, "missing X-GitHub-Event or X-GitHub-Delivery");
    }
    // Only SHA-256 signatures: the legacy SHA-1 `X-Hub-Signature` alone is refused.
    if (typeof signature !== "string" || !SIGNATURE.test(signature)) {
      log.warn({ delivery, event }, "webhook refused: missing or malformed X-Hub-Signature-256");
      return reply(res, 401, "missing or malformed X-Hub-Signature-256");
    }
    if (!signatureMatches(options.secret, body, signature)) {
      log.warn({ delivery, event }, "webhook refused: signature does not match");
      return reply(res, 401, "signature does not match");
    }
    if (seen.has(delivery)) return reply(res, 200, "duplicate delivery ignored");
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      return reply(res, 400, "body is not JSON");
    }
    seen.add(delivery);

    try {
      // biome-ignore lint/suspicious/noExplicitAny: the event name comes from GitHub's header
      await options.probot.receive({ id: delivery, name: event as any, payload: payload as any });
    } catch (thrown) {
      // Not handled: a redelivery of this id (GitHub's or a person's) must be processed then.
      seen.forget(delivery);
      log.error({ delivery, event, err: String(thrown) }, "webhook handler failed");
      return reply(res, 500, "handler failed");
    }
    reply(res, 202, "accepted");
  };
}

/** `signature` is `sha256=<64 hex digits>` (checked by the caller). */
function signatureMatches(secret: string, body: Buffer, signature: string): boolean {
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signature.slice("sha256=".length), "hex"));
}

function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    // One chunk (most deliveries) is used as it is: no copy.
    req.on("end", () => resolve(over ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, message: string, close = false) {
  const body = `${message}\n`;
  // An explicit length avoids chunked encoding: one small write per acknowledgement.
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    ...(close ? { connection: "close" } : {}),
  });
  res.end(body);
}
