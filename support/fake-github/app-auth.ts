/**
 * GitHub App authentication as GitHub does it: the app proves itself with a short-lived RS256 JWT
 * (`iss` = app id) and trades it for an installation token; repository routes then need a token
 * whose installation (or explicit grant) covers the repository.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import type { FakeApp, FakeState, FakeToken } from "./state.js";

export type Caller =
  | { kind: "anonymous" }
  | { kind: "app"; app: FakeApp }
  | { kind: "token"; token: FakeToken; value: string }
  | { kind: "invalid"; reason: string };

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** A fresh RSA key pair for a test app (PKCS#1 private key, like the one GitHub hands out). */
export function generateAppKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** What an app (or Probot) sends: `Authorization: Bearer <this>`. */
export function signAppJwt(appId: number, privateKey: string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ iat: nowSeconds - 30, exp: nowSeconds + 540, iss: appId }));
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

function verifyAppJwt(state: FakeState, jwt: string): Caller {
  const [header, payload, signature] = jwt.split(".");
  if (!header || !payload || !signature)
    return { kind: "invalid", reason: "A JSON web token could not be decoded" };
  let claims: { iss?: unknown; exp?: unknown; iat?: unknown };
  let alg: unknown;
  try {
    alg = JSON.parse(Buffer.from(header, "base64url").toString()).alg;
    claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  } catch {
    return { kind: "invalid", reason: "A JSON web token could not be decoded" };
  }
  const app = state.apps.get(Number(claims.iss));
  if (alg !== "RS256" || !app)
    return { kind: "invalid", reason: "'Issuer' claim ('iss') must be an Integer" };
  const ok = verify(
    "sha256",
    Buffer.from(`${header}.${payload}`),
    createPublicKey(app.publicKey),
    Buffer.from(signature, "base64url"),
  );
  if (!ok) return { kind: "invalid", reason: "A JSON web token could not be decoded" };
  const now = Math.floor(state.now().getTime() / 1000);
  // GitHub refuses tokens that expire more than 10 minutes ahead, and expired ones.
  if (typeof claims.exp !== "number" || claims.exp < now || claims.exp - now > 600) {
    return { kind: "invalid", reason: "'Expiration time' claim ('exp') is too far in the future or expired" };
  }
  return { kind: "app", app };
}

/** Who is calling, from the Authorization header (`token X`, `Bearer X`, or a JWT). */
export function identifyCaller(state: FakeState, authorization: string | undefined): Caller {
  if (!authorization) return { kind: "anonymous" };
  const [scheme, value] = authorization.split(" ", 2);
  if (!value || !/^(token|bearer)$/i.test(scheme ?? ""))
    return { kind: "invalid", reason: "Bad credentials" };
  if (value.split(".").length === 3) return verifyAppJwt(state, value);
  const token = state.tokens.get(value);
  if (!token || token.expiresAt < state.now().getTime())
    return { kind: "invalid", reason: "Bad credentials" };
  return { kind: "token", token, value };
}

/** Issues an installation access token (1 hour), as `POST /app/installations/{id}/access_tokens`. */
export function createInstallationToken(state: FakeState, installationId: number) {
  const installation = state.installations.get(installationId);
  if (!installation) return undefined;
  const value = `ghs_${randomBytes(18).toString("base64url")}`;
  const app = state.apps.get(installation.appId);
  const expiresAt = state.now().getTime() + 3600_000;
  state.tokens.set(value, {
    installationId,
    ...(app ? { appId: app.id } : {}),
    repos: installation.repos,
    actor: state.user(`${app?.slug ?? "app"}[bot]`, "Bot"),
    expiresAt,
  });
  return {
    token: value,
    expiresAt: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    installation,
  };
}
