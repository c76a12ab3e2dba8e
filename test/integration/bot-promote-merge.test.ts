/**
 * Merge → promote over real signed deliveries: the real Probot server, the loopback fake GitHub,
 * real git history. The check run comes from the bot's own PR loop (real gates on real metrics).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseTagMessage } from "../../src/core/registry/tag-message.js";
import { releasesOf } from "../../support/fake-github/routes/releases.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import {
  baseFiles,
  lockFile,
  mergePull,
  metricsFile,
  registryTags,
  writesSince,
} from "../../support/promotion-fixture.js";

const REPO = "acme/iris";
const WINE = "acme/wine";
let h: BotHarness;
let local: LocalRepo;
let wine: LocalRepo;

beforeAll(async () => {
  h = await startBotHarness([REPO, WINE]);
  local = createLocalRepo(baseFiles);
  await local.publish(h.fake.state, REPO);
  wine = createLocalRepo({
    ...baseFiles,
    "trainyard.yaml": `models:
  wine:
    path: models/iris/model.json
    card: models/wine/README.md
    stages: [candidate, live]
    first_stage: candidate
    bump: major
    release: true
`,
    "models/wine/README.md": "# Wine\n\nA model card.\n",
  });
  await wine.publish(h.fake.state, WINE);
});

afterAll(async () => {
  await h?.stop();
  local?.cleanup();
  wine?.cleanup();
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

  it("config picks the bump, the first stage and a GitHub Release whose notes are the model card", async () => {
    wine.commit("retrain", { "trainyard.lock": lockFile("f") });
    await wine.publish(h.fake.state, WINE);
    const pull = h.fake.state.createPull(WINE, { head: "retrain", user: "paula" });
    const id = h.fake.state.nextId();
    h.fake.state.repo(WINE).checkRuns.set(id, {
      id,
      name: "trainyard / wine",
      headSha: pull.head.sha,
      status: "completed",
      conclusion: "success",
      output: {},
      externalId: null,
      detailsUrl: null,
      startedAt: h.fake.state.timestamp(),
      completedAt: h.fake.state.timestamp(),
      app: h.app.appId,
    });
    const sha = await mergePull(h.fake, wine, WINE, pull.number, "retrain");
    await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("closed", WINE, pull.number));
    await h.bot.idle();
    const tags = registryTags(h.fake, WINE);
    expect(tags.get("wine@v1.0.0")?.commit).toBe(sha);
    expect(tags.get("wine#candidate#1")?.commit).toBe(sha);
    expect(releasesOf(h.fake.state.repo(WINE))).toEqual([
      expect.objectContaining({
        tagName: "wine@v1.0.0",
        name: "wine v1.0.0",
        body: "# Wine\n\nA model card.\n",
      }),
    ]);
    const summary = h.fake.state.commentsOn(WINE, pull.number).at(-1)?.body;
    expect(summary).toContain("registered as v1.0.0 and assigned to `candidate`");
    expect(summary).toContain("[release](https://github.com/acme/wine/releases/tag/wine%40v1.0.0)");
  });

  it("a merge into another branch than the default one registers nothing", async () => {
    local.commit("release-1", {}, "release branch");
    local.commit("hotfix", { "trainyard.lock": lockFile("9") }, "hotfix", "release-1");
    await local.publish(h.fake.state, REPO);
    const pull = h.fake.state.createPull(REPO, { head: "hotfix", base: "release-1", user: "paula" });
    const repo = h.fake.state.repo(REPO);
    repo.pulls.get(pull.number)!.merged = true;
    repo.pulls.get(pull.number)!.mergeCommitSha = pull.head.sha;
    const before = h.fake.state.writes.length;
    await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("closed", REPO, pull.number));
    await h.bot.idle();
    expect(writesSince(h.fake, before)).toEqual([]);
  });
});
