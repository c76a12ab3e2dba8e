/**
 * The trust chain attacked the way a write-access user or a pull request's own text would, over
 * real signed deliveries to the running bot and the loopback fake GitHub (which records which app
 * wrote every check run and comment). Each attack must leave nothing written: no tag, no ref, no
 * release, no approved deployment review.
 */
import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reportMarker } from "../../src/core/report/report-marker.js";
import { releasesOf } from "../../support/fake-github/routes/releases.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { git } from "../../support/git-origin.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import {
  baseFiles,
  comment,
  lockFile,
  mergePull,
  metricsFile,
  PROMOTION_CONFIG,
  registryTags,
} from "../../support/promotion-fixture.js";

const REPO = "acme/iris";
const WORKFLOW_TOKEN = "ghs_workflow_token_with_checks_write";
let h: BotHarness;
let local: LocalRepo;
let nextRun = 500;

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  local = createLocalRepo(baseFiles);
  await local.publish(h.fake.state, REPO);
  h.fake.state.repo(REPO).collaborators.set("alice", "maintain");
  // What a pull request's workflow holds: GITHUB_TOKEN with `checks: write` and `issues: write`.
  h.fake.state.addToken(WORKFLOW_TOKEN, [REPO]);
});

afterAll(async () => {
  await h?.stop();
  local?.cleanup();
});

afterEach(() => {
  expect(h.fake.failures).toEqual([]);
  expect(h.bot.queue.failures).toEqual([]);
});

const workflow = () => new Octokit({ auth: WORKFLOW_TOKEN, baseUrl: h.fake.url });
const reviews = () => h.fake.state.repo(REPO).protectionRuleReviews;
const gitWrites = (since: number) =>
  h.fake.state.writes
    .slice(since)
    .map((w) => w.operationId)
    .filter((op) => op.startsWith("git/") || op.startsWith("repos/create-release"));

async function deliverPull(action: "opened" | "synchronize", number: number) {
  const payload = h.fake.webhooks.pullRequestPayload(action, REPO, number);
  expect((await h.fake.sendWebhook("pull_request", payload)).status).toBeLessThan(300);
  await h.bot.idle();
}

async function openPull(branch: string, files: Record<string, string>) {
  local.commit(branch, files);
  await local.publish(h.fake.state, REPO);
  const pull = h.fake.state.createPull(REPO, { head: branch, user: "mallory" });
  await deliverPull("opened", pull.number);
  return pull;
}

/** GitHub asks the bot to review a deployment of `sha` to production, linked to pull `number`. */
async function requestReview(number: number, sha: string) {
  const runId = nextRun++;
  const base = h.fake.webhooks.eventPayload("deployment_protection_rule", "requested", REPO);
  const prPayload = h.fake.webhooks.pullRequestPayload("opened", REPO, number).pull_request;
  const delivery = await h.fake.sendWebhook("deployment_protection_rule", {
    ...base,
    environment: "production",
    event: "push",
    deployment_callback_url: `${h.fake.url}/repos/${REPO}/actions/runs/${runId}/deployment_protection_rule`,
    deployment: { ...(base.deployment as object), sha, environment: "production", payload: {} },
    pull_requests: [prPayload],
  });
  expect(delivery.status).toBeLessThan(300);
  await h.bot.idle();
  return reviews().filter((r) => r.runId === runId);
}

describe("trust chain", () => {
  it("a gate key carrying an approval marker, echoed by the bot, approves nothing", async () => {
    // P: an innocent commit whose gates pass (the bot's own green check lands on it).
    const pull = await openPull("echo", { "params.yaml": "train:\n  trees: 11\n" });
    const innocent = pull.head.sha;
    // C: a commit adding a model whose gate key smuggles a line holding an approval of P.
    const forged = `<!-- trainyard:approval {"sha":"${innocent}","models":[],"by":"mallory"} -->`;
    const key = JSON.stringify(`x\n${forged}\ny`);
    local.commit("echo", {
      "trainyard.yaml": `${PROMOTION_CONFIG}  evil:\n    path: models/evil/model.json\n    metrics: metrics.json\n    gates:\n      ${key}: { min: 0.5 }\n`,
    });
    await local.publish(h.fake.state, REPO);
    const attack = h.fake.state.syncPull(REPO, pull.number).head.sha;
    await deliverPull("synchronize", pull.number);
    // Deploying C is rejected (the gate fails) — and the rejection echoes the check title.
    expect(await requestReview(pull.number, attack)).toEqual([
      expect.objectContaining({ state: "rejected" }),
    ]);
    // Back to P, which has a green check but was never approved by anyone.
    git(local.dir, "checkout", "--quiet", "main");
    git(local.dir, "branch", "--force", "echo", innocent);
    await local.publish(h.fake.state, REPO);
    h.fake.state.syncPull(REPO, pull.number);
    const writes = h.fake.state.writes.length;
    const answers = await requestReview(pull.number, innocent);
    expect(answers.filter((r) => r.state === "approved")).toEqual([]);
    expect(gitWrites(writes)).toEqual([]);
    // Whatever the bot echoed stayed on one line and out of HTML.
    for (const c of h.fake.state.commentsOn(REPO, pull.number)) {
      expect(c.body).not.toContain(forged);
    }
  });

  it("a green `trainyard / iris` posted by a workflow does not register a model whose own check failed", async () => {
    const pull = await openPull("fake-green", {
      "metrics.json": metricsFile(0.5),
      "trainyard.lock": lockFile("c"),
    });
    const ours = [...h.fake.state.repo(REPO).checkRuns.values()].filter((r) => r.headSha === pull.head.sha);
    expect(ours.map((r) => [r.name, r.conclusion, r.app])).toEqual([
      ["trainyard / iris", "failure", h.app.appId],
    ]);
    const { data: forged } = await workflow().rest.checks.create({
      owner: "acme",
      repo: "iris",
      name: "trainyard / iris",
      head_sha: pull.head.sha,
      status: "completed",
      conclusion: "success",
      output: { title: "iris: all 1 gates pass", summary: "looks great" },
    });
    // The fake records who wrote it, exactly as GitHub does; only the creator may update a run.
    expect(forged.app).toMatchObject({ id: 15368, slug: "github-actions" });
    const ourRun = ours[0]!.id;
    await expect(
      workflow().rest.checks.update({
        owner: "acme",
        repo: "iris",
        check_run_id: ourRun,
        conclusion: "success",
      }),
    ).rejects.toMatchObject({ status: 403 });
    const writes = h.fake.state.writes.length;
    const tags = registryTags(h.fake, REPO).size;
    await mergePull(h.fake, local, REPO, pull.number, "fake-green");
    await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("closed", REPO, pull.number));
    await h.bot.idle();
    expect(registryTags(h.fake, REPO).size).toBe(tags);
    expect(gitWrites(writes)).toEqual([]);
    expect(releasesOf(h.fake.state.repo(REPO))).toEqual([]);
    const summary = h.fake.state
      .commentsOn(REPO, pull.number)
      .find((c) => c.body.includes("Trainyard registry"));
    expect(summary?.body).toContain("not registered");
  });

  it("another app's comment carrying our sticky marker is neither taken over nor trusted", async () => {
    local.commit("sticky", { "params.yaml": "train:\n  trees: 12\n" });
    await local.publish(h.fake.state, REPO);
    const pull = h.fake.state.createPull(REPO, { head: "sticky", user: "mallory" });
    const planted = `${reportMarker("iris")}\nA planted report.`;
    const { data: foreign } = await workflow().rest.issues.createComment({
      owner: "acme",
      repo: "iris",
      issue_number: pull.number,
      body: planted,
    });
    expect(foreign.performed_via_github_app).toMatchObject({ id: 15368 });
    await deliverPull("opened", pull.number);
    const comments = h.fake.state.commentsOn(REPO, pull.number);
    expect(comments.find((c) => c.id === foreign.id)?.body).toBe(planted);
    const reports = comments.filter((c) => c.user.login === "trainyard[bot]");
    expect(reports).toHaveLength(1);
    expect(reports[0]!.app).toBe(h.app.appId);
  });

  it("an approval of the pull request's head does not approve the deployment of another commit", async () => {
    const pull = await openPull("reviewed", {
      "params.yaml": "train:\n  trees: 13\n",
      "metrics.json": metricsFile(0.93),
    });
    await comment(h.fake, REPO, pull.number, "alice", "/trainyard approve");
    await h.bot.idle();
    expect(await requestReview(pull.number, pull.head.sha)).toEqual([
      expect.objectContaining({ state: "approved" }),
    ]);
    // An unreviewed commit (failing metrics, never checked) deployed against the same pull request.
    const unreviewed = local.commit("unreviewed", { "metrics.json": metricsFile(0.1) });
    await local.publish(h.fake.state, REPO);
    const writes = h.fake.state.writes.length;
    const answers = await requestReview(pull.number, unreviewed);
    expect(answers.filter((r) => r.state === "approved")).toEqual([]);
    expect(gitWrites(writes)).toEqual([]);
    // Once merged, the merge commit GitHub made of exactly that head stands for it.
    const mergeSha = await mergePull(h.fake, local, REPO, pull.number, "reviewed");
    expect(await requestReview(pull.number, mergeSha)).toEqual([
      expect.objectContaining({ state: "approved" }),
    ]);
  });
});
