/**
 * The real Probot server and the fake GitHub on loopback, wired together the way GitHub and an
 * installed app are: the fake knows the app's public key and sends signed deliveries to the bot,
 * the bot authenticates back with JWT → installation token. Logs are captured so tests can
 * check what was (not) logged.
 */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { type RunningBot, startBot } from "../../bot/server.js";
import {
  type FakeGitHub,
  installTestApp,
  startFakeGitHub,
  type TestApp,
} from "../../support/fake-github/index.js";

export interface BotHarness {
  fake: FakeGitHub;
  bot: RunningBot;
  app: TestApp;
  secret: string;
  /** Everything the bot logged so far. */
  logs(): string;
  stop(): Promise<void>;
}

export async function startBotHarness(
  repos: string[],
  options: { logLevel?: "trace" | "debug" | "info" | "warn"; maxBodyBytes?: number } = {},
): Promise<BotHarness> {
  const fake = await startFakeGitHub();
  const app = installTestApp(fake, repos, {
    permissions: { contents: "read", pull_requests: "read", issues: "write", checks: "write" },
  });
  const secret = randomBytes(16).toString("hex");
  const chunks: string[] = [];
  const bot = await startBot({
    appId: app.appId,
    privateKey: app.privateKey,
    secret,
    baseUrl: fake.url,
    throttleAndRetry: false,
    logLevel: options.logLevel ?? "info",
    logDestination: new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  // Ready as a deployment would be (`/readyz`): the identity lookup is done before any delivery.
  await bot.identity;
  fake.webhooks.target.url = bot.webhookUrl;
  fake.webhooks.target.secret = secret;
  return {
    fake,
    bot,
    app,
    secret,
    logs: () => chunks.join(""),
    async stop() {
      await bot.stop();
      await fake.stop();
    },
  };
}
