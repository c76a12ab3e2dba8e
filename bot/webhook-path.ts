/** Where the bot receives webhooks unless WEBHOOK_PATH says otherwise (Probot's default too). */
export const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
