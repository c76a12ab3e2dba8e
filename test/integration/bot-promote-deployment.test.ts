/**
 * The production deployment protection rule over real signed deliveries: approved only after an
 * authorised `/trainyard approve` for the pull request's head and a green check; rejected on a
 * red check; waiting (with a comment asking for approval) otherwise.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import { baseFiles, comment } from "../../support/promotion-fixture.js";

const REPO = "acme/iris";
let h: BotHarness;
let local: LocalRepo;
let nextRun = 100;

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  local = createLocalRepo(baseFiles);
  await local.publish(h.fake.state, REPO);
  const repo = h.fake.state.repo(REPO);
  repo.collaborators.set("alice", "maintain");
  repo.collaborators.set("carol", "write");
});

afterAll(async () => {
  await h?.stop();
  local?.cleanup();
});

afterEach(() => {
  expect(h.fake.failures).toEqual([]);
  expect(h.bot.queue.failures).toEqual([]);
});

/** A PR by paula whose head has a `trainyard / iris` check with this conclusion. */
async function pullWithCheck(branch: string, conclusion: "success" | "failure") {
  local.commit(branch, { "params.yaml": `train:\n  trees: ${nextRun}\n` });
  await local.publish(h.fake.state, REPO);
  const pull = h.fake.state.createPull(REPO, { head: branch, user: "paula" });
  const id = h.fake.state.nextId();
  h.fake.state.repo(REPO).checkRuns.set(id, {
    id,
    name: "trainyard / iris",
    headSha: pull.head.sha,
    status: "completed",
    conclusion,
    output: {
      title: conclusion === "success" ? "all 2 gates pass" : "accuracy 0.5 is below the minimum 0.9",
    },
    externalId: null,
    detailsUrl: null,
    startedAt: h.fake.state.timestamp(),
    completedAt: h.fake.state.timestamp(),
    app: h.app.appId,
  });
  return pull;
}

async function requestReview(
  number: number,
  options: {
    environment?: string;
    callbackUrl?: string;
    runId?: number;
    deliveryId?: string;
    withoutPulls?: boolean;
  } = {},
) {
  const runId = options.runId ?? nextRun++;
  const pull = h.fake.state.repo(REPO).pulls.get(number)!;
  const base = h.fake.webhooks.eventPayload("deployment_protection_rule", "requested", REPO);
  const prPayload = h.fake.webhooks.pullRequestPayload("opened", REPO, number).pull_request;
  const payload = {
    ...base,
    environment: options.environment ?? "production",
    event: "push",
    deployment_callback_url:
      options.callbackUrl ?? `${h.fake.url}/repos/${REPO}/actions/runs/${runId}/deployment_protection_rule`,
    deployment: {
      ...(base.deployment as object),
      sha: pull.head.sha,
      environment: "production",
      payload: {},
    },
    pull_requests: options.withoutPulls ? [] : [prPayload],
  };
  const delivery = await h.fake.sendWebhook("deployment_protection_rule", payload, {
    ...(options.deliveryId ? { deliveryId: options.deliveryId } : {}),
  });
  expect(delivery.status).toBeLessThan(300);
  await h.bot.idle();
  return runId;
}

const reviews = () => h.fake.state.repo(REPO).protectionRuleReviews;
const botComments = (n: number) =>
  h.fake.state
    .commentsOn(REPO, n)
    .filter((c) => c.user.login === "trainyard[bot]")
    .map((c) => c.body);

describe("deployment protection rule", () => {
  it("waits for an approval, ignores an unauthorised one, and approves when an approver says so", async () => {
    const pull = await pullWithCheck("ready", "success");
    const runId = await requestReview(pull.number);
    expect(reviews()).toEqual([]);
    const asking = botComments(pull.number);
    expect(asking).toHaveLength(1);
    expect(asking[0]).toContain("is waiting for an approval of `iris`");
    expect(asking[0]).toMatch(
      /^<!-- trainyard:deployment-pending \{"repo":"acme\/iris","pull":\d+,"runId":\d+/m,
    );

    // The same request again (GitHub re-sends) does not ask twice.
    await requestReview(pull.number, { runId });
    expect(botComments(pull.number)).toHaveLength(1);

    await comment(h.fake, REPO, pull.number, "carol", "/trainyard approve");
    await h.bot.idle();
    expect(reviews()).toEqual([]);

    await comment(h.fake, REPO, pull.number, "alice", "/trainyard approve");
    await h.bot.idle();
    expect(reviews()).toEqual([
      expect.objectContaining({ runId, environment_name: "production", state: "approved" }),
    ]);
    expect(botComments(pull.number).at(-1)).toContain(
      `The deployment to \`production\` (workflow run ${runId}) is now approved.`,
    );
  });

  it("a later deployment of an approved pull request is approved at once", async () => {
    const pull = [...h.fake.state.repo(REPO).pulls.values()].find((p) => p.head.ref === "ready")!;
    const runId = await requestReview(pull.number);
    expect(reviews().at(-1)).toMatchObject({ runId, state: "approved" });
    expect(reviews().at(-1)?.comment).toContain("gates passed and alice approved iris");
  });

  it("without pull_requests in the event (a push to main), the pull request is found from the commit", async () => {
    const pull = [...h.fake.state.repo(REPO).pulls.values()].find((p) => p.head.ref === "ready")!;
    const runId = await requestReview(pull.number, { withoutPulls: true });
    expect(reviews().at(-1)).toMatchObject({ runId, state: "approved" });
  });

  it("a failing gate is rejected at once, with the reason on the pull request", async () => {
    const pull = await pullWithCheck("regressed", "failure");
    const runId = await requestReview(pull.number);
    expect(reviews().at(-1)).toMatchObject({ runId, state: "rejected" });
    expect(reviews().at(-1)?.comment).toContain("accuracy 0.5 is below the minimum 0.9");
    expect(botComments(pull.number).at(-1)).toContain("Rejected the deployment to `production`");
  });

  it("an approval for an older head does not count after a new push", async () => {
    const pull = await pullWithCheck("moving", "success");
    await comment(h.fake, REPO, pull.number, "alice", "/trainyard approve");
    await h.bot.idle();
    local.commit("moving", { "params.yaml": "train:\n  trees: 999\n" });
    await local.publish(h.fake.state, REPO);
    const moved = h.fake.state.syncPull(REPO, pull.number);
    const id = h.fake.state.nextId();
    const [check] = [...h.fake.state.repo(REPO).checkRuns.values()].filter(
      (r) => r.name === "trainyard / iris",
    );
    h.fake.state
      .repo(REPO)
      .checkRuns.set(id, { ...check!, id, headSha: moved.head.sha, conclusion: "success" });
    const before = reviews().length;
    await requestReview(pull.number);
    expect(reviews().length).toBe(before);
    expect(botComments(pull.number).at(-1)).toContain("waiting for an approval");
  });

  it("an environment Trainyard does not guard is rejected, not left hanging", async () => {
    const pull = [...h.fake.state.repo(REPO).pulls.values()].find((p) => p.head.ref === "ready")!;
    const runId = await requestReview(pull.number, { environment: "qa" });
    expect(reviews().at(-1)).toMatchObject({ runId, state: "rejected" });
    expect(reviews().at(-1)?.comment).toContain("no model in trainyard.yaml deploys to `qa`");
  });

  it("a callback URL outside this repository's API is never called", async () => {
    const pull = [...h.fake.state.repo(REPO).pulls.values()].find((p) => p.head.ref === "ready")!;
    const before = reviews().length;
    const writes = h.fake.state.writes.length;
    await requestReview(pull.number, {
      callbackUrl: "https://evil.example/repos/acme/iris/actions/runs/1/deployment_protection_rule",
    });
    expect(reviews().length).toBe(before);
    expect(h.fake.state.writes.length).toBe(writes);
    expect(h.bot.queue.failures.map((f) => f.message)).toEqual([
      expect.stringContaining("refusing deployment_callback_url"),
    ]);
    h.bot.queue.failures.length = 0;
  });
});
