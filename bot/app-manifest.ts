/**
 * The GitHub App manifest the setup page posts: `bot/app.yml` (the one list of permissions and
 * events, checked against the handlers by a test), with the addresses of this deployment filled in.
 * https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export interface AppManifest {
  name: string;
  url: string;
  description?: string;
  public: boolean;
  hook_attributes: { url: string; active?: boolean };
  redirect_url?: string;
  default_events: string[];
  default_permissions: Record<string, string>;
  [field: string]: unknown;
}

// From source this module sits next to app.yml; bundled, it runs from dist/chunks/ and the
// package ships bot/app.yml two folders up.
const CANDIDATES = ["./app.yml", "../../bot/app.yml", "../bot/app.yml"];

export function appManifestPath(): string {
  for (const candidate of CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`bot/app.yml not found next to ${fileURLToPath(import.meta.url)}`);
}

/** bot/app.yml as data. */
export function readAppManifest(path = appManifestPath()): AppManifest {
  return parse(readFileSync(path, "utf8")) as AppManifest;
}

/**
 * The manifest for this deployment: webhooks go to `webhookUrl` (inactive until the bot has a
 * public address, so GitHub does not send deliveries nowhere) and GitHub returns to `redirectUrl`.
 */
export function manifestFor(
  base: AppManifest,
  addresses: { webhookUrl?: string; redirectUrl: string },
): AppManifest {
  return {
    ...base,
    hook_attributes: addresses.webhookUrl
      ? { ...base.hook_attributes, url: addresses.webhookUrl, active: true }
      : { ...base.hook_attributes, active: false },
    redirect_url: addresses.redirectUrl,
  };
}
