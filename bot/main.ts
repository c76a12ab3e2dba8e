/**
 * `npm run bot`: the app as a process, configured from the environment like any Probot app:
 * APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET, and optionally GITHUB_API_URL
 * (or GHE_HOST, for GitHub Enterprise Server), PORT, HOST, WEBHOOK_PATH, LOG_LEVEL.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type BotOptions, startBot } from "./server.js";

export function botOptionsFromEnv(env: NodeJS.ProcessEnv): BotOptions {
  const missing = ["APP_ID", "WEBHOOK_SECRET"].filter((name) => !env[name]);
  if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) missing.push("PRIVATE_KEY or PRIVATE_KEY_PATH");
  if (missing.length > 0) throw new Error(`trainyard bot: set ${missing.join(", ")} in the environment`);
  const privateKey = env.PRIVATE_KEY
    ? env.PRIVATE_KEY.replace(/\\n/g, "\n")
    : readFileSync(env.PRIVATE_KEY_PATH as string, "utf8");
  const baseUrl = env.GITHUB_API_URL ?? (env.GHE_HOST ? `https://${env.GHE_HOST}/api/v3` : undefined);
  const logLevel = (env.LOG_LEVEL ?? "info") as BotOptions["logLevel"];
  return {
    appId: env.APP_ID as string,
    privateKey,
    secret: env.WEBHOOK_SECRET as string,
    ...(baseUrl ? { baseUrl } : {}),
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? "0.0.0.0",
    ...(env.WEBHOOK_PATH ? { webhookPath: env.WEBHOOK_PATH } : {}),
    logLevel,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let options: BotOptions;
  try {
    options = botOptionsFromEnv(process.env);
  } catch (thrown) {
    console.error(thrown instanceof Error ? thrown.message : String(thrown));
    process.exit(1);
  }
  const bot = await startBot(options);
  const shutdown = () => {
    bot.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
