/**
 * `npm run bot` from a checkout: the same start-up as `trainyard bot` (see start-from-env.ts for
 * the variables: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GITHUB_API_URL or
 * GHE_HOST, PORT, HOST, WEBHOOK_PATH, LOG_LEVEL, SHUTDOWN_TIMEOUT_SECONDS), `.env` in the
 * current folder filling in what the environment leaves unset.
 */
import { runBotFromEnv } from "./start-from-env.js";

process.exitCode = await runBotFromEnv();
