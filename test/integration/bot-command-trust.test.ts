/**
 * Slash commands an attacker would try, over real signed `issue_comment` deliveries to the real
 * Probot server and the loopback fake GitHub: replays across a restart and under new delivery
 * ids, edited and deleted comments, commands hidden in Markdown, malformed or empty approver
 * lists, a stage after production, and failed look-ups. Each checks that nothing was written.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../../bot/server.js";
import { sign } from "../../support/fake-github/index.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { startBotProcess } from "../helpers/bot-process.js";
import { git } from "../../support/git-origin.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import {
  baseFiles,
  comment,
  PROMOTION_CONFIG,
  registryTags,
  writesSince,
} from "../../support/promotion-fixture.js";

const REPO = "acme/iris";
/** approvers holds a malformed entry: today's code dropped it and let anyone with `maintain` in. */
const MALFORMED = "acme/malformed";
/** No approvers, and `permissions` lowers production to `write`. */
const OPEN = "acme/open";
/** A stage after production. */
const ARCHIVE = "acme/archive";

const WRITES = [
  "git/create-tag",
  "git/create-ref",
  "repos/create-deployment",
  "repos/create-dispatch-event",
  "repos/create-release",
  "actions/review-custom-gates-for-run",
];

let h: BotHarness;
const locals: LocalRepo[] = [];
let pr: number;

const withModel = (extra: string) =>
  PROMOTION_CONFIG.replace("    approvers: [alice, acme/ml-leads]\n", extra);

async function publish(fullName: string, config: string, tags: [string, string][]) {
  const local = createLocalRepo({ ...baseFiles, "trainyard.yaml": config });
  locals.push(local);
  for (const [name, message] of tags) git(local.dir, "tag", "-a", name, "-m", message);
  await local.publish(h.fake.state, fullName);
  return local;
}

beforeAll(async () => {
  h = await startBotHarness([REPO, MALFORMED, OPEN, ARCHIVE]);
  const registered: [string, string][] = [
    ["iris@v1.0.0", "Register iris v1.0.0"],
    ["iris#staging#1", "Assign iris v1.0.0 to staging"],
  ];
  const main = await publish(REPO, PROMOTION_CONFIG, registered);
  main.commit("feature", { "params.yaml": "train:\n  trees: 20\n" });
  await main.publish(h.fake.state, REPO);
  await publish(MALFORMED, withModel("    approvers: [acme/]\n"), registered);
  await publish(OPEN, withModel("    permissions: { production: write }\n"), registered);
  await publish(ARCHIVE, withModel("    stages: [dev, production, archive]\n    approvers: [alice]\n"), [
    ["iris@v1.0.0", "Register iris v1.0.0"],
    ["iris#dev#1", "Assign iris v1.0.0 to dev"],
  ]);
  for (const name of [REPO, MALFORMED, OPEN, ARCHIVE]) {
    const repo = h.fake.state.repo(name);
    for (const [login, role] of [
      ["alice", "maintain"],
      ["bob", "maintain"],
      ["carol", "write"],
      ["dave", "admin"],
    ] as const) {
      repo.collaborators.set(login, role);
    }
  }
  pr = h.fake.state.createPull(REPO, { head: "feature", user: "paula" }).number;
  for (const name of [MALFORMED, OPEN, ARCHIVE])
    h.fake.state.createPull(name, { head: "main", user: "paula" });
});

afterAll(async () => {
  // h.bot may be a restarted instance; the harness's own stop() knows only the first one.
  await h?.bot.stop();
  await h?.fake.stop();
  for (const local of locals) local.cleanup();
});

afterEach(() => {
  expect(h.fake.failures).toEqual([]);
  expect(h.bot.queue.failures).toEqual([]);
});

const botReplies = (fullName: string, number: number, after: number) =>
  h.fake.state
    .commentsOn(fullName, number)
    .filter((c) => c.id > after && c.user.login === "trainyard[bot]")
    .map((c) => c.body);

/** Writes that change the registry, a deployment or a workflow (not comments or reactions). */
const changesSince = (start: number) => writesSince(h.fake, start).filter((w) => WRITES.includes(w));

async function say(
  login: string,
  body: string,
  options: Parameters<typeof comment>[5] & { repo?: string; on?: number } = {},
) {
  const fullName = options.repo ?? REPO;
  const number = options.on ?? (fullName === REPO ? pr : 1);
  const start = h.fake.state.writes.length;
  const sent = await comment(h.fake, fullName, number, login, body, options);
  expect(sent.delivery.status).toBeLessThan(300);
  await h.bot.idle();
  return { ...sent, start, replies: botReplies(fullName, number, sent.id), changes: changesSince(start) };
}

/** Stop the app and start a fresh process-equivalent: no memory of earlier deliveries. */
async function restartBot() {
  await h.bot.stop();
  h.bot = await startBot({
    appId: h.app.appId,
    privateKey: h.app.privateKey,
    secret: h.secret,
    baseUrl: h.fake.url,
    throttleAndRetry: false,
    logLevel: "warn",
  });
  h.fake.webhooks.target.url = h.bot.webhookUrl;
}

describe("commands run at most once", () => {
  it("the same signed delivery after a restart, and a redelivery under a new id, dispatch once", async () => {
    const first = await say("carol", "/trainyard retrain iris");
    expect(first.changes).toEqual(["repos/create-dispatch-event"]);
    expect(first.replies).toHaveLength(1);
    const dispatches = h.fake.state.repo(REPO).dispatches.length;

    await restartBot();
    const start = h.fake.state.writes.length;
    const again = await h.fake.sendWebhook("issue_comment", first.payload, {
      deliveryId: first.delivery.deliveryId,
    });
    expect(again.status).toBeLessThan(300);
    const renamed = await h.fake.sendWebhook("issue_comment", first.payload);
    expect(renamed.status).toBeLessThan(300);
    await h.bot.idle();

    expect(h.fake.state.repo(REPO).dispatches.length).toBe(dispatches);
    // A fresh process asks for an installation token first; beyond that it writes nothing.
    expect(writesSince(h.fake, start).filter((w) => !w.startsWith("apps/"))).toEqual([]);
    expect(botReplies(REPO, pr, first.id)).toHaveLength(1);
  });

  it("two replicas receiving the same command at the same moment run it once", async () => {
    const replica = await startBotProcess({
      appId: h.app.appId,
      privateKey: h.app.privateKey,
      secret: h.secret,
      baseUrl: h.fake.url,
    });
    try {
      // A delivery shaped like GitHub's, for a comment written straight into the fake.
      const template = await say("carol", "/trainyard help");
      const repo = h.fake.state.repo(REPO);
      const user = h.fake.state.user("carol");
      const id = h.fake.state.nextId();
      const now = h.fake.state.timestamp();
      const body = "/trainyard retrain iris";
      repo.comments.set(id, { id, issueNumber: pr, body, user, createdAt: now, updatedAt: now });
      const payload = {
        ...template.payload,
        comment: { ...(template.payload.comment as object), id, body },
      };
      const dispatches = repo.dispatches.length;
      // Both replicas look for a recorded reply before either has written one.
      h.fake.state.barriers.push({ operationId: "issues/list-comments", count: 2, held: [] });
      const raw = JSON.stringify(payload);
      const [a, b] = await Promise.all([
        h.fake.sendWebhook("issue_comment", payload),
        fetch(replica.webhookUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "issue_comment",
            "x-github-delivery": "replica-command",
            "x-hub-signature-256": sign(h.secret, raw),
          },
          body: raw,
        }),
      ]);
      expect([a.status, b.status]).toEqual([202, 202]);
      const deadline = Date.now() + 30_000;
      while (botReplies(REPO, pr, id).length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await h.bot.idle();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(repo.dispatches.length).toBe(dispatches + 1);
      expect(botReplies(REPO, pr, id)).toHaveLength(1);
    } finally {
      await replica.stop();
    }
  });

  it("a replayed /trainyard approve does not approve the new head", async () => {
    const approval = await say("alice", "/trainyard approve");
    const oldHead = h.fake.state.repo(REPO).pulls.get(pr)!.head.sha;
    expect(approval.replies.join("\n")).toContain(`"sha":"${oldHead}"`);
    locals[0]!.commit("feature", { "params.yaml": "train:\n  trees: 21\n" });
    await locals[0]!.publish(h.fake.state, REPO);
    const newHead = h.fake.state.syncPull(REPO, pr).head.sha;

    const start = h.fake.state.writes.length;
    await h.fake.sendWebhook("issue_comment", approval.payload);
    await h.bot.idle();
    expect(writesSince(h.fake, start)).toEqual([]);
    const all = h.fake.state
      .commentsOn(REPO, pr)
      .map((c) => c.body)
      .join("\n");
    expect(all).not.toContain(newHead);
  });

  it("a comment edited after it was posted is refused, and nothing is dispatched", async () => {
    const r = await say("carol", "/trainyard retrain iris", { stored: "never mind" });
    expect(r.changes).toEqual([]);
    expect(r.replies.join("\n")).toContain("the comment was edited after it was posted");
    expect(r.replies.join("\n")).toContain("Nothing was changed");
  });

  it("a comment deleted before the bot acts is refused, and nothing is dispatched", async () => {
    const r = await say("carol", "/trainyard retrain iris", { stored: null });
    expect(r.changes).toEqual([]);
    expect(r.replies.join("\n")).toContain("the comment was deleted before I could act on it");
  });
});

describe("hidden text never commands", () => {
  it.each([
    ["after an unclosed <!-- on the line before", "Looks good <!--\n/trainyard retrain iris"],
    ["inside <details>", "<details><summary>log</summary>\n\n/trainyard retrain iris\n\n</details>"],
    ["inside <pre>", "<pre>\n\n/trainyard retrain iris\n</pre>"],
    ["in a table cell", "| note |\n| --- |\n/trainyard retrain iris"],
  ])("%s", async (_name, body) => {
    const r = await say("carol", body);
    expect(r.changes).toEqual([]);
    expect(writesSince(h.fake, r.start)).toEqual([]);
    expect(r.replies).toEqual([]);
  });
});

describe("approver policy fails closed", () => {
  it("a malformed approvers entry is a config error, not 'no restriction'", async () => {
    const r = await say("bob", "/trainyard promote iris production v1.0.0", { repo: MALFORMED });
    expect(r.changes).toEqual([]);
    expect(registryTags(h.fake, MALFORMED).has("iris#production#2")).toBe(false);
    expect(r.replies.join("\n")).toMatch(/trainyard\.yaml:\d+:\d+ \(key models\.iris\.approvers\[0\]\)/);
  });

  it("no approvers on production means maintainers only, even when permissions say write", async () => {
    const r = await say("carol", "/trainyard promote iris production v1.0.0", { repo: OPEN });
    expect(r.changes).toEqual([]);
    expect(h.fake.state.repo(OPEN).deployments.size).toBe(0);
    expect(r.replies.join("\n")).toContain(
      "needs `maintain` permission on this repository; carol has `write`",
    );
  });

  it("with stages [dev, production, archive] the approver gate is on production, not archive", async () => {
    const r = await say("dave", "/trainyard promote iris production v1.0.0", { repo: ARCHIVE });
    expect(r.changes).toEqual([]);
    expect(registryTags(h.fake, ARCHIVE).has("iris#production#2")).toBe(false);
    expect(r.replies.join("\n")).toContain("limited to the approvers (`alice`); dave is not one of them");
  });
});

describe("every refusal is explained", () => {
  it("a failed team look-up gets a reply saying nothing changed and why", async () => {
    h.fake.state.faults.push({ operationId: "teams/get-membership-for-user-in-org", status: 502, times: 1 });
    const r = await say("bob", "/trainyard promote iris production v1.0.0");
    expect(r.changes).toEqual([]);
    const reply = r.replies.join("\n");
    expect(reply).toContain("I could not check bob's membership of `acme/ml-leads`");
    expect(reply).toContain("Nothing was changed: no tag, approval, deployment or dispatch.");
  });

  it("a failed permission look-up gets a reply saying nothing changed and why", async () => {
    h.fake.state.faults.push({
      operationId: "repos/get-collaborator-permission-level",
      status: 502,
      times: 1,
    });
    const r = await say("alice", "/trainyard approve");
    expect(r.changes).toEqual([]);
    const reply = r.replies.join("\n");
    expect(reply).toContain(
      "I could not check alice's permission on this repository (GitHub answered HTTP 502)",
    );
    expect(reply).toContain("Nothing was changed");
    expect(reply).not.toContain("trainyard:approval");
  });
});
