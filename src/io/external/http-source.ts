/**
 * An `https://` (or `http://`) location: its version from a HEAD (ETag, else Last-Modified) and its
 * bytes from a GET. Redirects are followed by hand and only when they stay on the same host and
 * port and never downgrade https to http; a redirect elsewhere (another host, `file://`, `data:`)
 * is refused, because following it would fetch data nobody named. Every URL in a message is redacted.
 */
import { TrainyardError, toError } from "../../core/errors.js";
import { parseExternalDep, redactUrl } from "../../core/external-dep.js";
import type { RemoteVersion } from "../../core/pointer-source.js";

const MAX_REDIRECTS = 5;

export interface HttpAnswer {
  response: Response;
  /** The URL that answered (after same-host redirects). */
  finalUrl: string;
}

function sameOriginOrUpgrade(from: URL, to: URL): boolean {
  if (to.protocol !== "https:" && to.protocol !== "http:") return false;
  if (from.protocol === "https:" && to.protocol === "http:") return false;
  return to.hostname === from.hostname && effectivePort(to) === effectivePort(from);
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

/** One request, following only redirects that stay on the named host. */
export async function requestExternal(url: string, method: "HEAD" | "GET"): Promise<HttpAnswer> {
  const origin = new URL(url);
  let current = origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      response = await fetch(current, { method, redirect: "manual", signal: AbortSignal.timeout(60_000) });
    } catch (thrown) {
      const cause = toError(thrown);
      const detail = (cause.cause as { code?: string } | undefined)?.code ?? cause.message;
      throw new TrainyardError(
        "remote",
        `${method} ${redactUrl(current.href)} failed: ${detail}`,
        undefined,
        {
          cause: thrown,
        },
      );
    }
    if (response.status < 300 || response.status >= 400) return { response, finalUrl: current.href };
    await response.body?.cancel();
    const location = response.headers.get("location");
    if (!location) {
      throw new TrainyardError(
        "remote",
        `${redactUrl(current.href)} answered ${response.status} without a Location`,
      );
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new TrainyardError("remote", `${redactUrl(current.href)} redirects to an invalid location`);
    }
    if (!sameOriginOrUpgrade(origin, next)) {
      throw new TrainyardError(
        "remote",
        `${redactUrl(current.href)} redirects to ${redactUrl(next.href)}: a redirect to another host or scheme is not followed; name the final URL yourself if you trust it`,
      );
    }
    // The new location must itself be a URL we would accept (no credentials in it).
    parseExternalDep(next.href);
    current = next;
  }
  throw new TrainyardError("remote", `${redactUrl(url)}: more than ${MAX_REDIRECTS} redirects`);
}

/** ETag and Last-Modified of an answer (either may be missing). */
export function httpVersion(headers: Headers): RemoteVersion {
  const etag = headers.get("etag") ?? undefined;
  const lastModified = headers.get("last-modified") ?? undefined;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { last_modified: lastModified } : {}) };
}

/** The sha256 the server vouches for (RFC 9530 `Repr-Digest`, or the older `Digest`), as hex. */
export function announcedSha256(headers: Headers): string | undefined {
  const repr = /sha-256=:([A-Za-z0-9+/=]+):/i.exec(headers.get("repr-digest") ?? "");
  const legacy = /sha-256=([A-Za-z0-9+/=]+)/i.exec(headers.get("digest") ?? "");
  const base64 = repr?.[1] ?? legacy?.[1];
  return base64 ? Buffer.from(base64, "base64").toString("hex") : undefined;
}

export function failedStatus(url: string, method: string, status: number): TrainyardError {
  return new TrainyardError(
    status === 404 || status === 410 ? "missing" : "remote",
    `${method} ${redactUrl(url)} answered HTTP ${status}`,
  );
}
