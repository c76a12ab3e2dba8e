/**
 * Slash commands over real signed `issue_comment` deliveries to the real Probot server, answered
 * through the loopback fake GitHub. Every refusal is checked for a reply AND for the absence of
 * any change (no tag, no deployment, no dispatch).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { examplePayloads } from "../../support/fake-github/index.js";
import { addTeamMember } from "../../support/fake-github/routes/teams.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { git } from "../../support/git-origin.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import {
  baseFiles,
  comment,
  reactionsOn,
  registryTags,
  writesSince,
} from "../../support/promotion-fixture.js";

const REPO = "acme/iris";
let h: BotHarness;
let local: LocalRepo;
let pr: number;
let alicePr: number;

const CHANGES = [
  "git/create-tag",
  "git/create-ref",
  "repos/create-deployment",
  "repos/create-dispatch-event",
];

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  local = createLocalRepo(baseFiles);
  // Registry history made with plain git, as the CLI would: v1.0.0 went through staging; v1.1.0 is new.
  git(local.dir, "tag", "-a", "iris@v1.0.0", "-m", "Register iris v1.0.0");
  git(local.dir, "tag", "-a", "iris#staging#1", "-m", "Assign iris v1.0.0 to staging");
  local.commit("main", { "metrics.json": '{"accuracy":0.93}\n' });
  git(local.dir, "tag", "-a", "iris@v1.1.0", "-m", "Register iris v1.1.0");
  local.commit("feature", { "params.yaml": "train:\n  trees: 20\n" });
  local.commit("alice-feature", { "params.yaml": "train:\n  trees: 30\n" });
  await local.publish(h.fake.state, REPO);
  const repo = h.fake.state.repo(REPO);
  for (const [login, role] of [
    ["alice", "maintain"],
    ["bob", "maintain"],
    ["carol", "write"],
    ["dave", "admin"],
    ["paula", "write"],
    ["mallory", "read"],
  ] as const) {
    repo.collaborators.set(login, role);
  }
  addTeamMember(h.fake.state, "acme/ml-leads", "bob");
  pr = h.fake.state.createPull(REPO, { head: "feature", user: "paula" }).number;
  alicePr = h.fake.state.createPull(REPO, { head: "alice-feature", user: "alice" }).number;
});

afterAll(async () => {
  await h?.stop();
  local?.cleanup();
});

afterEach(() => {
  expect(h.fake.failures).toEqual([]);
  expect(h.bot.queue.failures).toEqual([]);
});

/** Comment, wait for the bot, and return its reply, the reactions and every write it made. */
async function run(
  login: string,
  body: string,
  options: Parameters<typeof comment>[5] & { on?: number } = {},
) {
  const number = options.on ?? pr;
  const start = h.fake.state.writes.length;
  const requestsBefore = h.fake.state.requests.length;
  const { id, delivery } = await comment(h.fake, REPO, number, login, body, options);
  expect(delivery.status).toBeLessThan(300);
  await h.bot.idle();
  const replies = h.fake.state
    .commentsOn(REPO, number)
    .filter((c) => c.id > id && c.user.login === "trainyard[bot]");
  return {
    reply: replies.map((c) => c.body).join("\n"),
    replies: replies.length,
    reactions: reactionsOn(h.fake, REPO, id),
    writes: writesSince(h.fake, start),
    changes: writesSince(h.fake, start).filter((w) => CHANGES.includes(w)),
    requests: h.fake.state.requests.slice(requestsBefore).map((r) => r.operationId),
  };
}

describe("refusals change nothing", () => {
  it("a writer's /trainyard approve is refused: production approval needs maintain", async () => {
    const r = await run("carol", "LGTM\n\n/trainyard approve");
    expect(r.reply).toContain("needs `maintain` permission on this repository; carol has `write`");
    expect(r.reactions).toEqual(["eyes", "-1"]);
    expect(r.changes).toEqual([]);
    expect(r.reply).not.toContain("trainyard:approval");
  });

  it("an admin who is not an approver cannot promote to production", async () => {
    const r = await run("dave", "/trainyard promote iris production v1.0.0");
    expect(r.reply).toContain("limited to the approvers (`alice`, `acme/ml-leads`); dave is not one of them");
    expect(r.changes).toEqual([]);
    expect(registryTags(h.fake, REPO).has("iris#production#3")).toBe(false);
    expect(h.fake.state.repo(REPO).deployments.size).toBe(0);
  });

  it("a bot account is refused without even looking up its permission", async () => {
    const r = await run("deployer[bot]", "/trainyard promote iris production v1.0.0", { type: "Bot" });
    expect(r.reply).toContain("deployer[bot] is a bot account");
    expect(r.requests).not.toContain("repos/get-collaborator-permission-level");
    expect(r.changes).toEqual([]);
  });

  it("a failing permission API means no", async () => {
    h.fake.state.faults.push({
      operationId: "repos/get-collaborator-permission-level",
      status: 502,
      times: 1,
    });
    const r = await run("alice", "/trainyard approve");
    expect(r.reply).toContain(
      "I could not check alice's permission on this repository (GitHub answered HTTP 502)",
    );
    expect(r.reply).not.toContain("trainyard:approval");
    expect(r.reactions).toEqual(["eyes", "-1"]);
  });

  it("a failing team lookup means no, even for a maintainer", async () => {
    h.fake.state.faults.push({ operationId: "teams/get-membership-for-user-in-org", status: 500, times: 1 });
    const r = await run("bob", "/trainyard promote iris production v1.0.0");
    expect(r.reply).toContain("I could not check bob's membership of `acme/ml-leads`");
    expect(r.changes).toEqual([]);
  });

  it("the author of a pull request cannot approve it", async () => {
    const r = await run("alice", "/trainyard approve", { on: alicePr });
    expect(r.reply).toContain("alice opened this pull request, and self-approval is not allowed");
    expect(r.changes).toEqual([]);
  });

  it("stage order is enforced: v1.1.0 has not been in dev, so it cannot enter staging", async () => {
    const r = await run("carol", "/trainyard promote iris staging");
    expect(r.reply).toContain("v1.1.0 has not been in dev; stages go dev → staging → production");
    expect(r.changes).toEqual([]);
  });

  it("a reader cannot retrain, and no dispatch is sent", async () => {
    const r = await run("mallory", "/trainyard retrain iris");
    expect(r.reply).toContain("needs `write` permission");
    expect(h.fake.state.repo(REPO).dispatches).toEqual([]);
  });

  it("edited comments, quoted and fenced commands are ignored entirely", async () => {
    for (const [body, action] of [
      ["/trainyard approve", "edited"],
      ["/trainyard approve", "deleted"],
      ["> /trainyard approve", "created"],
      ["```\n/trainyard promote iris production\n```", "created"],
      ["Run `/trainyard approve` when ready", "created"],
    ] as const) {
      const r = await run("alice", body, { action });
      expect(r.writes).toEqual([]);
      expect(r.replies).toBe(0);
    }
  });
});

describe("authorised commands", () => {
  it("help lists the commands and the permission table", async () => {
    const r = await run("mallory", "/trainyard help");
    expect(r.reply).toContain("| `/trainyard approve [model]` | `maintain` |");
    expect(r.reactions).toEqual(["eyes", "rocket"]);
  });

  it("an approver approves; the approval is recorded in the bot's reply", async () => {
    const r = await run("alice", "/trainyard approve");
    const head = h.fake.state.repo(REPO).pulls.get(pr)!.head.sha;
    expect(r.reply).toContain(`approved \`iris\` for production at ${head.slice(0, 7)}`);
    expect(r.reply).toMatch(
      new RegExp(
        `^<!-- trainyard:approval \\{"repo":"acme/iris","pull":${pr},"sha":"${head}","models":\\[\\],"by":"alice"\\} mac=[\\w-]{43} -->$`,
        "m",
      ),
    );
    expect(r.reactions).toEqual(["eyes", "rocket"]);
    expect(r.changes).toEqual([]);
    // This PR never got a check run: the approval stands, but the reply says deployments will wait.
    expect(r.reply).toContain(
      "Note: no `trainyard / iris` check ran on this commit, so its gates are unknown",
    );
  });

  it("a team approver promotes through the stages, deploys production, and rolls back", async () => {
    expect((await run("carol", "/trainyard promote iris dev")).reactions).toEqual(["eyes", "rocket"]);
    expect((await run("carol", "/trainyard promote iris staging")).reactions).toEqual(["eyes", "rocket"]);
    const first = await run("bob", "/trainyard promote iris production v1.0.0");
    expect(first.reply).toContain("promoted `iris` v1.0.0 to `production`");
    const promote = await run("bob", "/trainyard promote iris production");
    expect(promote.reply).toContain("promoted `iris` v1.1.0 to `production`");
    expect(promote.changes).toEqual(["git/create-tag", "git/create-ref", "repos/create-deployment"]);
    const tags = registryTags(h.fake, REPO);
    const v110 = tags.get("iris@v1.1.0")!.commit;
    expect(tags.get("iris#production#5")).toMatchObject({ commit: v110, annotated: true });
    const deployment = [...h.fake.state.repo(REPO).deployments.values()].at(-1)!;
    expect(deployment).toMatchObject({
      sha: v110,
      environment: "production",
      payload: { model: "iris", version: "v1.1.0" },
    });
    expect(deployment.statuses.map((s) => s.state)).toEqual(["success"]);

    const rollback = await run("alice", "/trainyard rollback iris production");
    expect(rollback.reply).toContain("rolled back `iris` v1.0.0 in `production`");
    expect(h.fake.state.repo(REPO).deployments.size).toBe(3);
    expect([...h.fake.state.repo(REPO).deployments.values()].at(-1)?.sha).toBe(
      tags.get("iris@v1.0.0")!.commit,
    );
  });

  it("a writer retrains: repository_dispatch trainyard-retrain naming the model", async () => {
    const r = await run("carol", "/trainyard retrain iris");
    expect(r.changes).toEqual(["repos/create-dispatch-event"]);
    expect(h.fake.state.repo(REPO).dispatches.at(-1)).toEqual({
      event_type: "trainyard-retrain",
      client_payload: {
        model: "iris",
        reason: `/trainyard retrain by carol on #${pr}`,
        requested_by: "carol",
      },
    });
  });

  it("several commands in one comment get one reply; any refusal turns the reaction to 👎", async () => {
    const r = await run("carol", "/trainyard retrain\n/trainyard promote wine staging\n/trainyard aprove");
    expect(r.replies).toBe(1);
    expect(r.reply).toContain("✅ `/trainyard retrain`: sent `trainyard-retrain` for every model.");
    expect(r.reply).toContain("there is no model `wine` in trainyard.yaml (models: `iris`)");
    expect(r.reply).toContain("Did you mean `approve`?");
    expect(r.reactions).toEqual(["eyes", "-1"]);
  });

  it("every issue_comment example payload, delivered signed, gets a 2xx and no error", async () => {
    const examples = examplePayloads("issue_comment");
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const payload = h.fake.webhooks.eventPayload("issue_comment", String(example.action), REPO, {
        issue: { ...(example.issue as object), number: pr },
        comment: example.comment,
      });
      expect((await h.fake.sendWebhook("issue_comment", payload)).status).toBeLessThan(300);
    }
    await h.bot.idle();
  });
});
