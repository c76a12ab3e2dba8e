/**
 * The bot's configuration, from environment variables (a `.env` file fills in what the
 * environment leaves unset). One zod schema checks every variable, so a typo such as `PORT=abc`
 * or `LOG_LEVEL=verbose` stops the start with the variable's name instead of a crash later.
 *
 * Two outcomes: all credentials present → run the app; none of them → serve the manifest flow
 * that registers the app on GitHub. Some but not all → refuse (a half-configured app would start
 * and then fail on its first delivery, or accept unsigned webhooks).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { BotOptions } from "./server.js";

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

const port = z
  .string()
  .regex(/^\d+$/, "expected a port number (0-65535)")
  .transform(Number)
  .refine((n) => n <= 65535, "expected a port number (0-65535)");
const positiveSeconds = z
  .string()
  .regex(/^\d+(\.\d+)?$/, "expected a number of seconds")
  .transform(Number);
const nonEmpty = z.string().min(1, "must not be empty");

const envSchema = z.object({
  APP_ID: z.string().regex(/^\d+$/, "expected the numeric app id GitHub shows on the app's page").optional(),
  PRIVATE_KEY: nonEmpty.optional(),
  PRIVATE_KEY_PATH: nonEmpty.optional(),
  WEBHOOK_SECRET: nonEmpty.optional(),
  GITHUB_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  GHE_HOST: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?$/i, "expected a host name such as github.example.com")
    .optional(),
  /** Where people register the app (manifest flow): https://github.com, or the GHES host. */
  GITHUB_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Register the app under this organization instead of the signed-in user. */
  GH_ORG: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i, "expected an organization login")
    .optional(),
  /** The bot's public address, e.g. https://trainyard.example.com (its webhook URL derives from it). */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  PORT: port.default(3000),
  HOST: nonEmpty.default("0.0.0.0"),
  WEBHOOK_PATH: z
    .string()
    .regex(/^\/[\w\-./]*$/, "expected a path starting with /")
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** How long SIGTERM waits for queued work before reporting it unfinished and exiting. */
  SHUTDOWN_TIMEOUT_SECONDS: positiveSeconds.default(20),
  /** How often the app redoes work lost to a crash (see reconcile.ts); 0 turns it off. */
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(600),
});

type Env = z.infer<typeof envSchema>;

export interface ManifestFlowOptions {
  port: number;
  host: string;
  /** Web root the form posts to (`<githubUrl>/settings/apps/new`). */
  githubUrl: string;
  /** REST root that converts the code. */
  apiUrl: string;
  org?: string;
  publicUrl?: string;
  webhookPath?: string;
  logLevel: NonNullable<BotOptions["logLevel"]>;
}

export type BotConfig =
  | { mode: "run"; options: BotOptions; shutdownTimeoutMs: number }
  | { mode: "setup"; options: ManifestFlowOptions };

export class BotConfigError extends Error {
  override readonly name = "BotConfigError";
}

/** Reads the configuration; throws a BotConfigError listing every problem. */
export function readBotConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): BotConfig {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const value = env[name];
      // Never echo a credential, even a malformed one.
      const shown = value === undefined || /KEY|SECRET/.test(name) ? "" : ` (got ${JSON.stringify(value)})`;
      return `  ${name}: ${issue.message}${shown}`;
    });
    throw new BotConfigError(`trainyard bot: invalid configuration\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const apiUrl = e.GITHUB_API_URL ?? (e.GHE_HOST ? `https://${e.GHE_HOST}/api/v3` : "https://api.github.com");
  const credentials = [e.APP_ID, e.PRIVATE_KEY ?? e.PRIVATE_KEY_PATH, e.WEBHOOK_SECRET];
  if (credentials.every((c) => c === undefined)) {
    return {
      mode: "setup",
      options: {
        port: e.PORT,
        host: e.HOST,
        githubUrl: (e.GITHUB_URL ?? (e.GHE_HOST ? `https://${e.GHE_HOST}` : "https://github.com")).replace(
          /\/+$/,
          "",
        ),
        apiUrl: apiUrl.replace(/\/+$/, ""),
        ...(e.GH_ORG ? { org: e.GH_ORG } : {}),
        ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL.replace(/\/+$/, "") } : {}),
        ...(e.WEBHOOK_PATH ? { webhookPath: e.WEBHOOK_PATH } : {}),
        logLevel: e.LOG_LEVEL,
      },
    };
  }
  return {
    mode: "run",
    options: runOptions(e, apiUrl, readFile),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  };
}

function runOptions(e: Env, apiUrl: string, readFile: (path: string) => string): BotOptions {
  const missing: string[] = [];
  if (!e.APP_ID) missing.push("APP_ID");
  if (!e.PRIVATE_KEY && !e.PRIVATE_KEY_PATH) missing.push("PRIVATE_KEY or PRIVATE_KEY_PATH");
  if (!e.WEBHOOK_SECRET) missing.push("WEBHOOK_SECRET (webhooks are never accepted unsigned)");
  if (missing.length > 0) {
    throw new BotConfigError(
      `trainyard bot: set ${missing.join(", ")} (or unset every credential to register a new app)`,
    );
  }
  if (e.PRIVATE_KEY && e.PRIVATE_KEY_PATH) {
    throw new BotConfigError("trainyard bot: set PRIVATE_KEY or PRIVATE_KEY_PATH, not both");
  }
  return {
    appId: e.APP_ID as string,
    privateKey: e.PRIVATE_KEY
      ? e.PRIVATE_KEY.replace(/\\n/g, "\n")
      : readKeyFile(e.PRIVATE_KEY_PATH!, readFile),
    secret: e.WEBHOOK_SECRET as string,
    ...(e.GITHUB_API_URL || e.GHE_HOST ? { baseUrl: apiUrl } : {}),
    port: e.PORT,
    host: e.HOST,
    ...(e.WEBHOOK_PATH ? { webhookPath: e.WEBHOOK_PATH } : {}),
    logLevel: e.LOG_LEVEL,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_SECONDS * 1000,
  };
}

function readKeyFile(path: string, readFile: (path: string) => string): string {
  let text: string;
  try {
    text = readFile(path);
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code ?? "unreadable";
    throw new BotConfigError(`trainyard bot: PRIVATE_KEY_PATH ${path} cannot be read (${code})`);
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text)) {
    throw new BotConfigError(`trainyard bot: PRIVATE_KEY_PATH ${path} does not hold a PEM private key`);
  }
  return text;
}

/** `FOO=` in a .env or a compose file means "not set", not "set to nothing". */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== "") out[name] = value;
  return out;
}
