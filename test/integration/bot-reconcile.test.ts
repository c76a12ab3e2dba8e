/**
 * No acknowledged work is lost: the app acknowledges a delivery before doing its work, so a bot
 * process killed mid-work (SIGKILL, as in a crash) leaves a pull request without its report. The
 * next process reconciles on start and on its timer: the report appears, exactly once, however
 * many passes run.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reportMarker } from "../../src/core/report/report-marker.js";
import {
  type FakeGitHub,
  installTestApp,
  startFakeGitHub,
  type TestApp,
} from "../../support/fake-github/index.js";
import { type BotProcess, startBotProcess } from "../helpers/bot-process.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import { baseFiles, metricsFile, writesSince } from "../../support/promotion-fixture.js";

const REPO = "acme/iris";
let fake: FakeGitHub;
let app: TestApp;
let local: LocalRepo;
const secret = randomBytes(16).toString("hex");
const processes: BotProcess[] = [];

beforeAll(async () => {
  fake = await startFakeGitHub();
  app = installTestApp(fake, [REPO], {
    permissions: { contents: "read", pull_requests: "read", issues: "write", checks: "write" },
  });
  local = createLocalRepo(baseFiles);
  local.commit("better", { "metrics.json": metricsFile(0.95) });
  await local.publish(fake.state, REPO);
});

afterAll(async () => {
  for (const bot of processes) await bot.kill();
  await fake?.stop();
  local?.cleanup();
});

async function startBot(env: Record<string, string>) {
  const bot = await startBotProcess({
    appId: app.appId,
    privateKey: app.privateKey,
    secret,
    baseUrl: fake.url,
    env,
  });
  processes.push(bot);
  fake.webhooks.target.url = bot.webhookUrl;
  fake.webhooks.target.secret = secret;
  return bot;
}

async function until(what: string, test: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const checksOn = (sha: string) =>
  [...fake.state.repo(REPO).checkRuns.values()].filter(
    (r) => r.headSha === sha && r.name === "trainyard / iris",
  );
const reportsOn = (number: number) =>
  fake.state.commentsOn(REPO, number).filter((c) => c.body.includes(reportMarker("iris")));

it("a bot killed mid-work leaves the PR unreported; the next process reports it once, on start and timer alike", {
  timeout: 240_000,
}, async () => {
  const first = await startBot({ RECONCILE_INTERVAL_SECONDS: "0" });
  const pull = fake.state.createPull(REPO, { head: "better", user: "paula" });
  // Hold the bot's first file read, so the process is inside the work when it dies.
  const hold = { operationId: "repos/get-content", ms: 1500, times: 1 };
  fake.state.delays.push(hold);
  const start = fake.state.writes.length;
  const delivery = await fake.sendWebhook(
    "pull_request",
    fake.webhooks.pullRequestPayload("opened", REPO, pull.number),
  );
  expect(delivery.status).toBe(202);
  await until("the bot to start its work", () => hold.times === 0);
  await first.kill();
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the held read completes into a dead socket
  expect(writesSince(fake, start).filter((w) => !w.startsWith("apps/"))).toEqual([]);
  expect(checksOn(pull.head.sha)).toEqual([]);

  // A new process, reconciling on start and then every second.
  await startBot({ RECONCILE_INTERVAL_SECONDS: "1" });
  await until("the report after the restart", () => checksOn(pull.head.sha).length > 0, 90_000);
  const listings = () => fake.state.requests.filter((r) => r.operationId === "pulls/list").length;
  const passes = listings();
  await until("two more reconcile passes", () => listings() >= passes + 2, 60_000);
  expect(checksOn(pull.head.sha)).toHaveLength(1);
  expect(checksOn(pull.head.sha)[0]).toMatchObject({ status: "completed", conclusion: "success" });
  expect(reportsOn(pull.number)).toHaveLength(1);

  // The live path after reconciling changes nothing either: same check, same comment.
  await fake.sendWebhook("pull_request", fake.webhooks.pullRequestPayload("synchronize", REPO, pull.number));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(checksOn(pull.head.sha)).toHaveLength(1);
  expect(reportsOn(pull.number)).toHaveLength(1);
  expect(fake.failures).toEqual([]);
});
