import { afterAll, beforeAll, expect, it } from "vitest";
import { examplePayloads } from "../../support/fake-github/index.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";

let h: BotHarness;
let local: LocalRepo;
const REPO = "acme/iris";

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  local = createLocalRepo({
    "trainyard.yaml":
      "models:\n  iris:\n    path: model.json\n    metrics: metrics.json\n    gates:\n      accuracy: { min: 0.9 }\n",
    "metrics.json": '{"accuracy":0.91}\n',
  });
  local.commit("tune", { "metrics.json": '{"accuracy":0.93}\n' });
  await local.publish(h.fake.state, REPO);
});

afterAll(async () => {
  await h?.stop();
  local?.cleanup();
});

const examples = examplePayloads("pull_request");

it(`answers 2xx to all ${examples.length} pull_request examples adjusted to the fake's PR, with no error`, async () => {
  expect(examples.length).toBeGreaterThan(20);
  const pull = h.fake.state.createPull(REPO, { head: "tune" });
  const repoPart = h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number);
  const results = [];
  for (const example of examples) {
    const payload = {
      ...example,
      number: pull.number,
      pull_request: { ...(example.pull_request as object), number: pull.number },
      repository: repoPart.repository,
      installation: repoPart.installation,
    };
    results.push(await h.fake.sendWebhook("pull_request", payload));
  }
  expect(results.filter((r) => r.status < 200 || r.status > 299)).toEqual([]);
  await h.bot.idle();
  expect(h.bot.queue.failures).toEqual([]);
  expect(h.fake.failures).toEqual([]);
  // The triggering actions produced the report, once.
  expect(h.fake.state.commentsOn(REPO, pull.number)).toHaveLength(1);
});

it("answers 2xx to the unmodified examples too; their API failures (unknown installation) are handled and logged", async () => {
  const before = h.bot.queue.failures.length;
  const statuses = [];
  for (const example of examples) statuses.push((await h.fake.sendWebhook("pull_request", example)).status);
  expect(statuses.every((s) => s >= 200 && s < 300)).toBe(true);
  await h.bot.idle();
  for (const failure of h.bot.queue.failures.slice(before)) {
    // GitHub-side refusals, not crashes in our code.
    expect(failure.message).toMatch(/Not Found|Unauthorized|Bad credentials/);
  }
  expect(h.logs()).not.toMatch(/TypeError|ReferenceError|unhandled/i);
  expect(h.fake.failures).toEqual([]);
});

it("acknowledges events it does not handle without doing anything", async () => {
  const writes = h.fake.state.writes.length;
  const payload = h.fake.webhooks.eventPayload("issues", "opened", REPO);
  expect((await h.fake.sendWebhook("issues", payload)).status).toBe(202);
  await h.bot.idle();
  expect(h.fake.state.writes.length).toBe(writes);
});
