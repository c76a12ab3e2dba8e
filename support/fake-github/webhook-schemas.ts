/**
 * GitHub's webhook payload schemas (`@octokit/openapi-webhooks`, OpenAPI 3.1): payloads for events
 * without an example are built from them, and every payload the fake builds is checked against
 * them, so a handler is never tested on an event shape GitHub would not send.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import type { OpenAPIV3 } from "openapi-types";
import { fillFromSchema } from "./fill-schema.js";

const require = createRequire(import.meta.url);

type Payload = Record<string, unknown>;
interface WebhookDoc {
  webhooks: Record<
    string,
    { post: { requestBody: { content: Record<string, { schema: { $ref?: string } }> } } }
  >;
  components: unknown;
}

let doc: WebhookDoc | undefined;
function loadDoc(): WebhookDoc {
  doc ??= JSON.parse(
    readFileSync(require.resolve("@octokit/openapi-webhooks/generated/api.github.com.json"), "utf8"),
  );
  return doc!;
}

function payloadSchema(event: string, action?: string) {
  const key = [event, action].filter(Boolean).join("-").replaceAll("_", "-");
  return loadDoc().webhooks[key]?.post.requestBody.content["application/json"]?.schema;
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction | undefined>();

/** Schema violations of a payload (empty when valid, or when GitHub describes no such event). */
export function validateWebhookPayload(
  event: string,
  action: string | undefined,
  payload: unknown,
): string[] {
  const key = `${event}.${action ?? ""}`;
  if (!validators.has(key)) {
    const ref = payloadSchema(event, action)?.$ref;
    if (ref && !ajv) {
      ajv = new Ajv({ strict: false, logger: false, validateSchema: false, code: { optimize: false } });
      ajv.addSchema({ $id: "webhooks", components: loadDoc().components });
    }
    validators.set(key, ref && ajv ? ajv.compile({ $ref: `webhooks${ref}` }) : undefined);
  }
  const validate = validators.get(key);
  if (!validate || validate(payload)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);
}

const resolved = new Map<string, OpenAPIV3.SchemaObject | undefined>();
function resolvedSchema(event: string, action?: string): OpenAPIV3.SchemaObject | undefined {
  const key = `${event}.${action ?? ""}`;
  if (!resolved.has(key)) {
    const schema = payloadSchema(event, action);
    resolved.set(key, schema ? (resolveRefs(schema, loadDoc(), 0) as OpenAPIV3.SchemaObject) : undefined);
  }
  return resolved.get(key);
}

/** A payload with every top-level field, built from GitHub's webhook schema (`event-action`). */
export function schemaPayload(event: string, action?: string): Payload {
  const schema = resolvedSchema(event, action);
  if (!schema) throw new Error(`fake GitHub: no webhook schema for ${event}.${action ?? ""}`);
  // Fill every top-level property, not only the required ones, so handlers see a realistic event.
  const complete = { ...schema, required: Object.keys(schema.properties ?? {}) };
  return fillFromSchema(complete, action ? { action } : {}) as Payload;
}

/**
 * Adds the fields GitHub's current schema requires and a payload lacks (examples are community
 * snapshots of older events; the fake's own repo/PR renderings carry only the meaningful fields).
 */
export function completeWebhookPayload(event: string, action: string | undefined, payload: Payload): Payload {
  const schema = resolvedSchema(event, action);
  return schema ? (fillFromSchema(schema, payload) as Payload) : payload;
}

function resolveRefs(node: unknown, root: unknown, depth: number): unknown {
  if (depth > 14 || typeof node !== "object" || node === null) return node;
  if (Array.isArray(node)) return node.map((n) => resolveRefs(n, root, depth));
  const ref = (node as { $ref?: string }).$ref;
  if (ref) {
    const target = ref
      .slice(2)
      .split("/")
      .reduce<unknown>((at, part) => (at as Record<string, unknown>)[part], root);
    return resolveRefs(target, root, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveRefs(v, root, depth)]));
}
