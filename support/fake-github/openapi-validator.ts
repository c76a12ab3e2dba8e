/**
 * GitHub's own REST description (`@octokit/openapi`), loaded once per process and shared by every
 * fake server in it. Routing and validation use openapi-backend in "quick" mode: the 13 MB
 * document is dereferenced synchronously and Ajv validators are compiled lazily, per operation,
 * on first use — precompiling all ~1,100 operations would take minutes.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import OpenAPIBackendModule, {
  type OpenAPIBackend as Backend,
  type Operation,
  type Request,
} from "openapi-backend";
import type { OpenAPIV3 } from "openapi-types";

// openapi-backend is CommonJS; its default export sits on `.default` when imported from ESM.
const OpenAPIBackend = ((OpenAPIBackendModule as unknown as { default?: typeof Backend }).default ??
  OpenAPIBackendModule) as typeof Backend;

export interface RouteMatch {
  operation: Operation;
  operationId: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
}

export interface ValidationOutcome {
  valid: boolean;
  errors: string[];
}

interface IndexedOperation {
  method: string;
  pattern: RegExp;
  /** Path parameter names in template order, for the pattern's capture groups. */
  names: string[];
  specificity: number;
  operation: Operation;
}

export class GitHubOpenApi {
  readonly #index: IndexedOperation[];

  constructor(readonly backend: Backend) {
    // openapi-backend re-flattens and re-compiles every path template on each match (~7 ms with
    // GitHub's document); index once instead and hand the operation to its parser and validator.
    this.#index = backend.router
      .getOperations()
      .map((operation: Operation) => ({
        method: operation.method,
        pattern: new RegExp(
          `^${operation.path
            .split(/\{[^}]+\}/)
            .map((part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
            .join("([^/]+)")}$`,
        ),
        names: [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
        specificity: operation.path.replace(/\{.*?\}/g, "").length,
        operation,
      }))
      .sort((a: IndexedOperation, b: IndexedOperation) => b.specificity - a.specificity);
  }

  /** The operation GitHub serves at this method and path (query string allowed), or undefined. */
  match(method: string, url: string): RouteMatch | undefined {
    const path = (url.split("?")[0] ?? "/").replace(/\/+$/, "") || "/";
    const lower = method.toLowerCase();
    const hit = this.#index.find((entry) => entry.method === lower && entry.pattern.test(path));
    if (!hit) return undefined;
    const parsed = this.backend.router.parseRequest({ method, path: url, headers: {} }, hit.operation);
    // openapi-backend splits `{base}...{head}` wrongly; the anchored pattern's groups do not.
    const groups = hit.pattern.exec(path)?.slice(1) ?? [];
    const params = { ...(parsed.params as Record<string, string>) };
    if (/\}[^/{]+\{/.test(hit.operation.path)) {
      hit.names.forEach((name, i) => {
        if (groups[i] !== undefined) params[name] = decodeURIComponent(groups[i]);
      });
    }
    return {
      operation: hit.operation,
      operationId: hit.operation.operationId ?? `${lower} ${hit.operation.path}`,
      params,
      query: (parsed.query ?? {}) as Record<string, unknown>,
    };
  }

  /** Checks path/query parameters and the JSON body against the operation. */
  validateRequest(request: Request, operation: Operation): ValidationOutcome {
    const result = this.backend.validator.validateRequest(request, operation);
    return { valid: result.valid, errors: formatErrors(result.errors) };
  }

  validateResponse(body: unknown, operation: Operation, status: number): ValidationOutcome {
    if (!this.responseSchema(operation, status) && body === undefined) return { valid: true, errors: [] };
    const result = this.backend.validator.validateResponse(body, operation, status);
    return { valid: result.valid, errors: formatErrors(result.errors) };
  }

  /** The dereferenced JSON schema of a response, or undefined when the status has no JSON body. */
  responseSchema(operation: Operation, status: number): OpenAPIV3.SchemaObject | undefined {
    const responses = operation.responses as Record<string, OpenAPIV3.ResponseObject> | undefined;
    const response = responses?.[String(status)] ?? responses?.default;
    const schema = response?.content?.["application/json"]?.schema;
    return schema as OpenAPIV3.SchemaObject | undefined;
  }
}

function formatErrors(errors: ReadonlyArray<{ instancePath?: string; message?: string }> | null | undefined) {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);
}

/**
 * OpenAPI 3.0's `nullable` as Ajv understands it: Ajv refuses `nullable` without a sibling
 * `type` (GitHub writes `nullable` next to `allOf`/`anyOf`) and, with an `enum`, wants `null`
 * listed in it. Rewrite those spots once, in place, before dereferencing.
 */
function normalizeNullable(node: unknown): void {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) normalizeNullable(item);
    return;
  }
  const schema = node as Record<string, unknown>;
  for (const value of Object.values(schema)) normalizeNullable(value);
  if (schema.nullable !== true) return;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  if (schema.type === undefined && schema.$ref === undefined) {
    const inner = { ...schema };
    delete inner.nullable;
    for (const key of Object.keys(schema)) delete schema[key];
    schema.anyOf = [inner, { type: "null" }];
  }
}

let shared: Promise<GitHubOpenApi> | undefined;

/** The process-wide instance; the first call pays ~0.3 s to parse and dereference the document. */
export function loadGitHubOpenApi(): Promise<GitHubOpenApi> {
  shared ??= (async () => {
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
    const definition = JSON.parse(readFileSync(file, "utf8"));
    normalizeNullable(definition);
    const backend = new OpenAPIBackend({
      definition,
      quick: true,
      strict: true,
      // GitHub's document uses formats Ajv does not know (uri-template…); ignore them silently.
      // Compiling GitHub's large dereferenced schemas dominates a test file's cost: skip the
      // meta-schema check of each one and codegen optimisation (2–3× faster, same verdicts).
      ajvOpts: { strict: false, logger: false, validateSchema: false, code: { optimize: false } },
    });
    await backend.init();
    return new GitHubOpenApi(backend);
  })();
  return shared;
}
