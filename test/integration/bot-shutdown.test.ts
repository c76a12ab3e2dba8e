import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeGitHub,
  installTestApp,
  startFakeGitHub,
  type TestApp,
} from "../../support/fake-github/index.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import { startBotProcess } from "../helpers/bot-process.js";

// `npm run bot` drains queued work for SHUTDOWN_TIMEOUT_SECONDS after SIGTERM, reports what did not
// finish, and then the process ends: a job whose request never comes back (GitHub down, a retry
// loop) must not keep it alive.

const REPO = "acme/slow";
let fake: FakeGitHub;
let app: TestApp;
let local: LocalRepo;
const secret = "a-secret-for-the-shutdown-test";

beforeAll(async () => {
  fake = await startFakeGitHub();
  app = installTestApp(fake, [REPO], {
    permissions: { contents: "read", pull_requests: "read", issues: "write", checks: "write" },
  });
  local = createLocalRepo({ "trainyard.yaml": "models: {}\n" });
  local.commit("work", { "notes.txt": "x\n" });
  await local.publish(fake.state, REPO);
});

afterAll(async () => {
  await fake?.stop();
  local?.cleanup();
});

describe("bot shutdown", () => {
  it("ends the process after SHUTDOWN_TIMEOUT_SECONDS while an unfinished job's request is still open", async () => {
    const bot = await startBotProcess({
      appId: app.appId,
      privateKey: app.privateKey,
      secret,
      baseUrl: fake.url,
      env: { SHUTDOWN_TIMEOUT_SECONDS: "0.5" },
    });
    fake.webhooks.target.url = bot.webhookUrl;
    fake.webhooks.target.secret = secret;
    // The job's first request is held by the fake and never answered while the bot stops.
    const hold = { operationId: "pulls/get", count: 2, held: [] as (() => void)[] };
    fake.state.barriers.push(hold);
    try {
      const pull = fake.state.createPull(REPO, { head: "work" });
      const delivery = await fake.sendWebhook(
        "pull_request",
        fake.webhooks.pullRequestPayload("opened", REPO, pull.number),
      );
      expect(delivery.status).toBe(202);
      const deadline = Date.now() + 30_000;
      while (hold.held.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(hold.held).toHaveLength(1);
      // Out of the fake's list, the held request stays held (no time-out opens it).
      fake.state.barriers.splice(fake.state.barriers.indexOf(hold), 1);

      const outcome = await Promise.race([
        bot.stop().then(() => "exited"),
        new Promise((resolve) => setTimeout(() => resolve("still running"), 30_000)),
      ]);
      expect(outcome).toBe("exited");
    } finally {
      for (const release of hold.held) release();
      await bot.kill();
    }
  }, 90_000);
});
