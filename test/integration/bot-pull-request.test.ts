import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatTagMessage } from "../../src/core/registry/tag-message.js";
import { reportMarker } from "../../src/core/report/report-marker.js";
import { sign } from "../../support/fake-github/index.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { startBotProcess } from "../helpers/bot-process.js";
import { git } from "../../support/git-origin.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";

const CONFIG = `params: params.yaml
models:
  iris:
    path: models/iris/model.json
    metrics: metrics.json
    gates:
      accuracy: { min: 0.9, max_drop: 0.01 }
`;
const metrics = (accuracy: number, f1 = 0.9) => `${JSON.stringify({ accuracy, macro_f1: f1 })}\n`;

let h: BotHarness;
let local: LocalRepo;
const REPO = "acme/iris";
const marker = reportMarker("iris");

beforeAll(async () => {
  h = await startBotHarness([REPO], { logLevel: "debug" });
  local = createLocalRepo({
    "trainyard.yaml": CONFIG,
    "params.yaml": "train:\n  trees: 10\n",
    "metrics.json": metrics(0.91),
  });
  // A registered, promoted version: the comment's chart shows it next to the PR.
  const message = formatTagMessage({
    summary: "Register iris v1.0.0",
    actor: "alice",
    metrics: { accuracy: 0.91 },
  });
  git(local.dir, "tag", "-a", "iris@v1.0.0", "-m", message);
  git(local.dir, "tag", "-a", "iris#production#1", "-m", "Assign iris v1.0.0 to production");
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

async function pushAndOpen(branch: string, files: Record<string, string | null>) {
  local.commit(branch, files);
  await local.publish(h.fake.state, REPO);
  return h.fake.state.createPull(REPO, { head: branch, user: "alice" });
}

async function push(branch: string, number: number, files: Record<string, string | null>) {
  local.commit(branch, files);
  await local.publish(h.fake.state, REPO);
  h.fake.state.syncPull(REPO, number);
}

function deliver(action: string, number: number, options = {}) {
  return h.fake.sendWebhook(
    "pull_request",
    h.fake.webhooks.pullRequestPayload(action, REPO, number),
    options,
  );
}

const checkRuns = (sha: string) =>
  [...h.fake.state.repo(REPO).checkRuns.values()].filter((r) => r.headSha === sha);
const comments = (number: number) => h.fake.state.commentsOn(REPO, number);
const commentWrites = (from: number) =>
  h.fake.state.writes
    .slice(from)
    .map((w) => w.operationId)
    .filter((id) => id.endsWith("-comment"));

async function waitFor(condition: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the replica");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the pull-request loop over signed HTTP deliveries", () => {
  it("reports an improvement in one comment with the deltas and a green check; a regression updates it and turns it red", async () => {
    const pull = await pushAndOpen("more-trees", {
      "metrics.json": metrics(0.95, 0.93),
      "params.yaml": "train:\n  trees: 50\n",
    });
    const opened = await deliver("opened", pull.number);
    expect(opened.status).toBe(202);
    await h.bot.idle();

    const [first, ...others] = comments(pull.number);
    expect(others).toEqual([]);
    expect(first!.user.login).toBe("trainyard[bot]");
    expect(first!.body).toContain(marker);
    expect(first!.body).toMatch(/all 2 gates pass/);
    // Gates guard accuracy against dropping, so a rise reads as better.
    expect(first!.body).toMatch(/\| accuracy \| 0\.91 \| 0\.95 \| 🟢 ▲ \+0\.04 \| \+4\.4\d?% \|/);
    expect(first!.body).toMatch(/\| train\.trees \| 10 \| 50 \|/);
    expect(first!.body).toContain("xychart-beta");
    expect(first!.body).toMatch(/v1\.0\.0 \(production\)/);
    expect(checkRuns(pull.head.sha)).toMatchObject([{ name: "trainyard / iris", conclusion: "success" }]);

    await push("more-trees", pull.number, { "metrics.json": metrics(0.88, 0.85) });
    expect((await deliver("synchronize", pull.number)).status).toBe(202);
    await h.bot.idle();

    const after = comments(pull.number);
    expect(after.map((c) => c.id)).toEqual([first!.id]);
    expect(after[0]!.body).toMatch(/2 of 2 gates failed/);
    expect(after[0]!.body).toMatch(/\| ❌ accuracy \| 0\.91 \| 0\.88 \| 🔴 ▼ -0\.03/);
    const [red] = checkRuns(pull.head.sha);
    expect(red).toMatchObject({ conclusion: "failure" });
    expect(red!.output.title).toMatch(/accuracy min, accuracy max_drop/);
    expect(red!.output.summary).toMatch(/accuracy/);
  });

  it("judges a PR by the base branch's gates, so a PR cannot loosen the gate it fails", async () => {
    const loosened = CONFIG.replace("accuracy: { min: 0.9, max_drop: 0.01 }", "accuracy: { min: 0.1 }");
    const pull = await pushAndOpen("loosen-gate", {
      "trainyard.yaml": loosened,
      "metrics.json": metrics(0.5),
    });
    expect((await deliver("opened", pull.number)).status).toBe(202);
    await h.bot.idle();
    const [check] = checkRuns(pull.head.sha);
    expect(check).toMatchObject({ name: "trainyard / iris", conclusion: "failure" });
    expect(check!.output.title).toMatch(/accuracy min/);
  });

  it("keeps exactly one comment when three synchronize deliveries arrive at once", async () => {
    const pull = await pushAndOpen("rapid", { "metrics.json": metrics(0.92) });
    await push("rapid", pull.number, { "metrics.json": metrics(0.93) });
    const results = await Promise.all([1, 2, 3].map(() => deliver("synchronize", pull.number)));
    expect(results.map((r) => r.status)).toEqual([202, 202, 202]);
    await h.bot.idle();
    const list = comments(pull.number);
    expect(list).toHaveLength(1);
    expect(list[0]!.body).toMatch(/\| 0\.91 \| 0\.93 \|/);
    expect(checkRuns(pull.head.sha)).toHaveLength(1);
  });

  it("converges on one comment when a second bot process gets the same PR at the same moment", async () => {
    // Another replica of the app: its own process, memory and locks, same credentials.
    const replica = await startBotProcess({
      appId: h.app.appId,
      privateKey: h.app.privateKey,
      secret: h.secret,
      baseUrl: h.fake.url,
    });
    try {
      const pull = await pushAndOpen("replicas", { "metrics.json": metrics(0.92) });
      const payload = h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number);
      // Hold the first comment listing until the other replica has listed too: both see none.
      h.fake.state.barriers.push({ operationId: "issues/list-comments", count: 2, held: [] });
      const before = h.fake.state.writes.length;
      const body = JSON.stringify(payload);
      const [a, b] = await Promise.all([
        h.fake.sendWebhook("pull_request", payload),
        fetch(replica.webhookUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "pull_request",
            "x-github-delivery": "replica-delivery",
            "x-hub-signature-256": sign(h.secret, body),
          },
          body,
        }),
      ]);
      expect([a.status, b.status]).toEqual([202, 202]);
      await h.bot.idle();
      // The replica has no idle() across processes: wait until its writes settle.
      await waitFor(() => comments(pull.number).length === 1 && commentWrites(before).length === 3);
      // Both found no comment and created one; the younger was folded into the older.
      expect(commentWrites(before)).toEqual([
        "issues/create-comment",
        "issues/create-comment",
        "issues/delete-comment",
      ]);
      expect(comments(pull.number)[0]!.body).toMatch(/\| 0\.91 \| 0\.92 \|/);
    } finally {
      await replica.stop();
    }
  });

  it("reports neutral while the head has no metrics yet", async () => {
    const pull = await pushAndOpen("training", { "metrics.json": null, "train.js": "// new model\n" });
    await deliver("opened", pull.number);
    await h.bot.idle();
    expect(checkRuns(pull.head.sha)).toMatchObject([{ conclusion: "neutral" }]);
    expect(checkRuns(pull.head.sha)[0]!.output.summary).toMatch(/metrics\.json` does not exist at the head/);
    expect(comments(pull.number)[0]!.body).toMatch(/no metrics at/);
  });

  it("reads a PR from a fork through the base repository's installation, executing nothing", async () => {
    h.fake.state.createRepo({ owner: "eve", name: "iris", fork: true });
    local.commit("fork-work", { "metrics.json": metrics(0.97) });
    await local.publish(h.fake.state, "eve/iris");
    const pull = h.fake.state.createPull(REPO, { head: "fork-work", headRepo: "eve/iris", user: "eve" });
    expect((await deliver("opened", pull.number)).status).toBe(202);
    await h.bot.idle();
    expect(comments(pull.number)[0]!.body).toMatch(/\| 0\.91 \| 0\.97 \|/);
    expect(checkRuns(pull.head.sha)).toMatchObject([{ conclusion: "success" }]);
  });

  it("recomputes a re-requested check (fork-style: no pull_requests in the payload)", async () => {
    const pull = await pushAndOpen("rerun", { "metrics.json": metrics(0.94) });
    await deliver("opened", pull.number);
    await h.bot.idle();
    const before = h.fake.state.writes.length;
    const [run] = checkRuns(pull.head.sha);
    const payload = h.fake.webhooks.eventPayload("check_run", "rerequested", REPO);
    payload.check_run = {
      ...(payload.check_run as object),
      name: run!.name,
      head_sha: pull.head.sha,
      pull_requests: [],
    };
    expect((await h.fake.sendWebhook("check_run", payload)).status).toBe(202);
    await h.bot.idle();
    expect(h.fake.state.writes.slice(before).map((w) => w.operationId)).toEqual(["checks/update"]);
    expect(checkRuns(pull.head.sha)).toHaveLength(1);
  });
});

describe("webhook security", () => {
  it("refuses forged, missing, SHA-1-only and malformed signatures before any handler: no API call at all", async () => {
    const pull = await pushAndOpen("forged", { "metrics.json": metrics(0.99) });
    const payload = h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number);
    const requestsBefore = h.fake.state.requests.length;
    const body = JSON.stringify(payload);
    const attempts = [
      await h.fake.sendWebhook("pull_request", payload, { secret: "not-the-secret" }),
      await h.fake.sendWebhook("pull_request", payload, { signature: null }),
      await h.fake.sendWebhook("pull_request", payload, {
        signature: sign(h.secret, body).replace("sha256", "sha1"),
      }),
      await h.fake.sendWebhook("pull_request", payload, { signature: "sha256=zz" }),
      // Signed correctly, but over a different body than the one sent.
      await h.fake.sendWebhook("pull_request", payload, { signature: sign(h.secret, `${body} `) }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    await h.bot.idle();
    expect(h.fake.state.requests.length).toBe(requestsBefore);
    expect(comments(pull.number)).toEqual([]);
  });

  it("checks the signature over the bytes as sent, not over their decoded text", async () => {
    // Two bodies that differ in one byte, both invalid UTF-8 there: decoded, both read U+FFFD, so
    // only the bytes tell them apart (and re-encoding the text would match neither signature).
    const text = JSON.stringify({ ...h.fake.webhooks.eventPayload("star", "deleted", REPO), note: "#" });
    const at = Buffer.from(text).indexOf("#");
    const signed = Buffer.from(text);
    signed[at] = 0xff;
    const altered = Buffer.from(signed);
    altered[at] = 0xfe;
    const options = { rawBody: altered, signature: sign(h.secret, signed) };
    const forged = await h.fake.sendWebhook("star", {}, options);
    expect(forged.status).toBe(401);
    const genuine = await h.fake.sendWebhook(
      "star",
      {},
      { rawBody: altered, signature: sign(h.secret, altered) },
    );
    expect(genuine.status).toBe(202);
  });

  it("ignores a redelivered X-GitHub-Delivery id", async () => {
    const pull = await pushAndOpen("redeliver", { "metrics.json": metrics(0.96) });
    const first = await deliver("opened", pull.number, { deliveryId: "delivery-42" });
    await h.bot.idle();
    const writes = h.fake.state.writes.length;
    const again = await deliver("opened", pull.number, { deliveryId: "delivery-42" });
    await h.bot.idle();
    expect([first.status, again.status]).toEqual([202, 200]);
    expect(h.fake.state.writes.length).toBe(writes);
    expect(comments(pull.number)).toHaveLength(1);
  });

  it("lets a delivery whose handler failed be redelivered (500, then processed again)", async () => {
    let calls = 0;
    h.bot.probot.on("star.created", async () => {
      calls += 1;
      throw new Error("handler broke");
    });
    const payload = h.fake.webhooks.eventPayload("star", "created", REPO);
    const first = await h.fake.sendWebhook("star", payload, { deliveryId: "star-1" });
    const again = await h.fake.sendWebhook("star", payload, { deliveryId: "star-1" });
    expect([first.status, again.status, calls]).toEqual([500, 500, 2]);
    expect(h.logs()).toMatch(/webhook handler failed/);
  });

  it("refuses a body over the size limit", async () => {
    const payload = {
      ...h.fake.webhooks.pullRequestPayload("opened", REPO, 1),
      padding: "x".repeat(1_100_000),
    };
    const result = await h.fake.sendWebhook("pull_request", payload);
    expect(result.status).toBe(413);
  });

  it("never logs the private key, the webhook secret or an installation token (at debug level)", async () => {
    const logs = h.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(h.secret);
    const keyBody = h.app.privateKey.split("\n")[1]!;
    expect(logs).not.toContain(keyBody);
    for (const token of h.fake.state.tokens.keys()) expect(logs).not.toContain(token);
  });
});
