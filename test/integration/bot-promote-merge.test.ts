/**
 * Merge → promote over real signed deliveries: the real Probot server, the loopback fake GitHub,
 * real git history. The check run comes from the bot's own PR loop (real gates on real metrics).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseTagMessage } from "../../src/core/registry/tag-message.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { createLocalRepo, type LocalRepo } from "../helpers/github-repo.js";
import {
  baseFiles,
  lockFile,
  mergePull,
  metricsFile,
  registryTags,
  writesSince,
} from "../helpers/promotion-fixture.js";

const REPO = "acme/iris";
let h: BotHarness;
let local: LocalRepo;

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  local = createLocalRepo(baseFiles);
  await local.publish(h.fake.state, REPO);
});

afterAll(async () => {
  await h?.stop();
  local?.cleanup();
});

afterEach(() => {
  expect(h.fake.failures).toEqual([]);
  expect(h.bot.queue.failures).toEqual([]);
});

async function openGatedPull(branch: string, accuracy: number, modelHash: string) {
  local.commit(branch, { "metrics.json": metricsFile(accuracy), "trainyard.lock": lockFile(modelHash) });
  await local.publish(h.fake.state, REPO);
  const pull = h.fake.state.createPull(REPO, { head: branch, user: "paula" });
  expect(
    (
      await h.fake.sendWebhook(
        "pull_request",
        h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number),
      )
    ).status,
  ).toBeLessThan(300);
  await h.bot.idle();
  return pull;
}

async function mergeAndDeliver(number: number, branch: string) {
  const sha = await mergePull(h.fake, local, REPO, number, branch);
  const payload = h.fake.webhooks.pullRequestPayload("closed", REPO, number);
  const delivery = await h.fake.sendWebhook("pull_request", payload);
  expect(delivery.status).toBeLessThan(300);
  await h.bot.idle();
  return { sha, payload, delivery };
}

const prComments = (n: number) => h.fake.state.commentsOn(REPO, n).map((c) => c.body);

describe("merge → register and promote", () => {
  it("registers iris@v1.0.0 and iris#staging#1 as annotated tags on the merge commit through the git data API", async () => {
    const pull = await openGatedPull("better", 0.95, "b");
    const before = h.fake.state.writes.length;
    const { sha } = await mergeAndDeliver(pull.number, "better");

    const tags = registryTags(h.fake, REPO);
    expect(tags.get("iris@v1.0.0")).toMatchObject({ commit: sha, annotated: true });
    expect(tags.get("iris#staging#1")).toMatchObject({ commit: sha, annotated: true });
    const message = parseTagMessage(tags.get("iris@v1.0.0")!.message);
    expect(message).toMatchObject({
      summary: "Register iris v1.0.0",
      reason: `merged pull request #${pull.number}`,
      metrics: { accuracy: 0.95 },
    });
    // Tag object first, then its ref — twice — then the PR comment.
    expect(writesSince(h.fake, before)).toEqual([
      "git/create-tag",
      "git/create-ref",
      "git/create-tag",
      "git/create-ref",
      "issues/create-comment",
    ]);
    const summary = prComments(pull.number).find((b) => b.includes("Trainyard registry"));
    expect(summary).toContain("registered as v1.0.0 and assigned to `staging`");
  });

  it("a redelivered merge changes nothing", async () => {
    const pull = [...h.fake.state.repo(REPO).pulls.values()].find((p) => p.merged)!;
    const before = h.fake.state.writes.length;
    const tagCount = registryTags(h.fake, REPO).size;
    await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("closed", REPO, pull.number));
    await h.bot.idle();
    expect(registryTags(h.fake, REPO).size).toBe(tagCount);
    expect(writesSince(h.fake, before).filter((w) => w.startsWith("git/"))).toEqual([]);
  });

  it("the next merge bumps the minor version", async () => {
    const pull = await openGatedPull("even-better", 0.96, "c");
    await mergeAndDeliver(pull.number, "even-better");
    const tags = registryTags(h.fake, REPO);
    expect(tags.has("iris@v1.1.0")).toBe(true);
    expect(tags.has("iris#staging#2")).toBe(true);
  });

  it("a merge whose gates failed registers nothing and the comment says why", async () => {
    const pull = await openGatedPull("worse", 0.5, "d");
    const check = [...h.fake.state.repo(REPO).checkRuns.values()].find((r) => r.headSha === pull.head.sha);
    expect(check?.conclusion).toBe("failure");
    const before = registryTags(h.fake, REPO).size;
    const start = h.fake.state.writes.length;
    await mergeAndDeliver(pull.number, "worse");
    expect(registryTags(h.fake, REPO).size).toBe(before);
    expect(writesSince(h.fake, start)).toEqual(["issues/create-comment"]);
    const summary = prComments(pull.number).find((b) => b.includes("Trainyard registry"));
    expect(summary).toMatch(/iris\*\*: not registered — the `trainyard \/ iris` check concluded `failure`/);
  });

  it("a merge that does not change the model registers nothing and stays quiet", async () => {
    local.commit("docs", { "README.md": "docs\n" });
    await local.publish(h.fake.state, REPO);
    const pull = h.fake.state.createPull(REPO, { head: "docs", user: "paula" });
    const before = h.fake.state.writes.length;
    await mergeAndDeliver(pull.number, "docs");
    expect(writesSince(h.fake, before)).toEqual([]);
  });

  it("a closed but unmerged pull request does nothing", async () => {
    local.commit("abandoned", { "trainyard.lock": lockFile("e") });
    await local.publish(h.fake.state, REPO);
    const pull = h.fake.state.createPull(REPO, { head: "abandoned", user: "paula" });
    const before = h.fake.state.writes.length;
    await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("closed", REPO, pull.number));
    await h.bot.idle();
    expect(writesSince(h.fake, before)).toEqual([]);
  });
});
