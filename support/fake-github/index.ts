/** Public surface of the fake GitHub for tests, helpers and the demo. */
import { generateAppKeyPair } from "./app-auth.js";
import type { FakeGitHub } from "./server.js";

export { generateAppKeyPair, signAppJwt } from "./app-auth.js";
export { importFromGit } from "./import-from-git.js";
export { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from "./server.js";
export * from "./state.js";
export { schemaPayload, validateWebhookPayload } from "./webhook-schemas.js";
export { examplePayloads, sign } from "./webhooks.js";

export interface TestApp {
  appId: number;
  privateKey: string;
  installationId: number;
}

/**
 * Registers a GitHub App with a fresh RSA key and installs it on the given repos (created when
 * missing), the way a user installs Trainyard from bot/app.yml.
 */
export function installTestApp(
  fake: FakeGitHub,
  repos: string[],
  options: { appId?: number; slug?: string; permissions?: Record<string, string> } = {},
): TestApp {
  const { privateKey, publicKey } = generateAppKeyPair();
  const appId = options.appId ?? 4242;
  fake.state.registerApp({ id: appId, slug: options.slug ?? "trainyard", publicKey });
  for (const fullName of repos) {
    const [owner, name] = fullName.split("/") as [string, string];
    if (!fake.state.findRepo(owner, name)) fake.state.createRepo({ owner, name });
  }
  const installation = fake.state.install(
    repos,
    options.permissions ?? { contents: "write", checks: "write" },
    appId,
  );
  return { appId, privateKey, installationId: installation.id };
}
