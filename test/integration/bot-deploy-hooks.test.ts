/**
 * Deploy hooks over the real bot: a merge assigns staging and a `/trainyard promote … production`
 * or `rollback` assigns production; each creates a GitHub deployment of the version's commit for
 * the hook's environment, queued for the deploy workflow — created first, then its status, as
 * GitHub's deployments API orders them. The hooks come from trainyard.yaml on the default branch.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FakeDeployment } from "../../support/fake-github/state.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import {
  baseFiles,
  comment,
  lockFile,
  mergePull,
  metricsFile,
  PROMOTION_CONFIG,
  registryTags,
  writesSince,
} from "../../support/promotion-fixture.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";

const REPO = "acme/iris";
const HOOKED = `${PROMOTION_CONFIG}    stages: [staging, production]
    deploy:
      staging: { cmd: node deploy.mjs, url: "https://staging.example/iris" }
      production: { cmd: node deploy.mjs, environment: iris-prod, rollback_on_failure: true }
`;
let h: BotHarness;
let local: LocalRepo;

const deployments = () => [...h.fake.state.repo(REPO).deployments.values()].sort((a, b) => a.id - b.id);
const states = (d: FakeDeployment) => d.statuses.map((s) => s.state);

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  local = createLocalRepo({ ...baseFiles, "trainyard.yaml": HOOKED });
  await local.publish(h.fake.state, REPO);
  h.fake.state.repo(REPO).collaborators.set("alice", "maintain");
});

afterAll(async () => {
  await h?.stop();
  local?.cleanup();
});

afterEach(() => {
  expect(h.fake.failures).toEqual([]);
  expect(h.bot.queue.failures).toEqual([]);
});

async function mergeGated(branch: string, modelHash: string) {
  local.commit(branch, { "metrics.json": metricsFile(0.95), "trainyard.lock": lockFile(modelHash) });
  await local.publish(h.fake.state, REPO);
  const pull = h.fake.state.createPull(REPO, { head: branch, user: "paula" });
  await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number));
  await h.bot.idle();
  const start = h.fake.state.writes.length;
  const sha = await mergePull(h.fake, local, REPO, pull.number, branch);
  await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("closed", REPO, pull.number));
  await h.bot.idle();
  return { sha, pull, writes: writesSince(h.fake, start) };
}

async function slash(login: string, body: string, on: number) {
  const start = h.fake.state.writes.length;
  await comment(h.fake, REPO, on, login, body);
  await h.bot.idle();
  const reply = h.fake.state.commentsOn(REPO, on).at(-1)?.body ?? "";
  return { reply, writes: writesSince(h.fake, start) };
}

describe("deploy hooks", () => {
  let firstPull = 0;
  let secondPull = 0;

  it("a merge assigns staging and queues a deployment of the merge commit to the staging environment", async () => {
    const { sha, pull, writes } = await mergeGated("better", "b");
    firstPull = pull.number;
    expect(registryTags(h.fake, REPO).get("iris#staging#1")?.commit).toBe(sha);
    expect(writes).toEqual([
      "git/create-tag",
      "git/create-ref",
      "git/create-tag",
      "git/create-ref",
      "repos/create-deployment",
      "repos/create-deployment-status",
      "issues/create-comment",
    ]);
    const [d] = deployments();
    expect(d).toMatchObject({
      sha,
      ref: sha,
      task: "deploy",
      environment: "staging",
      production: false,
      payload: { model: "iris", version: "v1.0.0", stage: "staging" },
    });
    expect(states(d!)).toEqual(["queued"]);
    expect(h.fake.state.commentsOn(REPO, pull.number).at(-1)?.body).toContain(
      `deployment ${d!.id} to \`staging\` queued`,
    );
  });

  it("promotion to production by an approver queues a production deployment for the hook's environment", async () => {
    secondPull = (await mergeGated("even-better", "c")).pull.number;
    const r = await slash("alice", "/trainyard promote iris production", firstPull);
    expect(r.reply).toContain("promoted `iris` v1.1.0 to `production`");
    expect(r.writes.filter((w) => w.startsWith("repos/"))).toEqual([
      "repos/create-deployment",
      "repos/create-deployment-status",
    ]);
    const d = deployments().at(-1)!;
    const v110 = registryTags(h.fake, REPO).get("iris@v1.1.0")!.commit;
    expect(d).toMatchObject({
      sha: v110,
      environment: "iris-prod",
      production: true,
      payload: { model: "iris", version: "v1.1.0", stage: "production" },
    });
    expect(states(d)).toEqual(["queued"]);
    expect(r.reply).toContain(`Deployment ${d.id} to \`iris-prod\` queued.`);
  });

  it("/trainyard rollback takes the same path: a deployment of the previous version", async () => {
    await slash("alice", "/trainyard promote iris production v1.0.0", firstPull);
    const r = await slash("alice", "/trainyard rollback iris production", firstPull);
    expect(r.reply).toContain("rolled back `iris` v1.1.0 in `production`");
    const d = deployments().at(-1)!;
    expect(d).toMatchObject({
      sha: registryTags(h.fake, REPO).get("iris@v1.1.0")!.commit,
      environment: "iris-prod",
      payload: { version: "v1.1.0", stage: "production" },
    });
    expect(states(d)).toEqual(["queued"]);
  });

  it("a pull request that edits the hooks changes nothing: the default branch's trainyard.yaml decides", async () => {
    local.commit("evil-hooks", { "trainyard.yaml": HOOKED.replace("iris-prod", "attacker-env") });
    await local.publish(h.fake.state, REPO);
    const pull = h.fake.state.createPull(REPO, { head: "evil-hooks", user: "paula" });
    const r = await slash("alice", "/trainyard promote iris production v1.0.0", pull.number);
    expect(r.reply).toContain("promoted `iris` v1.0.0 to `production`");
    expect(deployments().at(-1)).toMatchObject({
      environment: "iris-prod",
      payload: { version: "v1.0.0", stage: "production" },
    });
    expect(deployments().some((d) => d.environment === "attacker-env")).toBe(false);
  });

  describe("the deployment protection rule knows the hooks' environments (from the default branch)", () => {
    let run = 700;
    /** GitHub asks the app about a job deploying `sha` to `environment`. */
    async function protectionRule(environment: string, sha: string, payload: object) {
      const runId = run++;
      const base = h.fake.webhooks.eventPayload("deployment_protection_rule", "requested", REPO);
      const delivery = await h.fake.sendWebhook("deployment_protection_rule", {
        ...base,
        environment,
        event: "deployment",
        deployment_callback_url: `${h.fake.url}/repos/${REPO}/actions/runs/${runId}/deployment_protection_rule`,
        deployment: { ...(base.deployment as object), sha, environment, payload },
        pull_requests: [],
      });
      expect(delivery.status).toBeLessThan(300);
      await h.bot.idle();
      return h.fake.state.repo(REPO).protectionRuleReviews.filter((r) => r.runId === runId);
    }
    const v110 = () => registryTags(h.fake, REPO).get("iris@v1.1.0")!.commit;

    it("`iris-prod` (the production hook's environment) is iris's production: gates pass, it waits for an approval", async () => {
      const answered = await protectionRule("iris-prod", v110(), {
        model: "iris",
        version: "v1.1.0",
        stage: "production",
      });
      expect(answered).toEqual([]);
      expect(h.fake.state.commentsOn(REPO, secondPull).at(-1)?.body).toContain(
        "The deployment to `iris-prod` is waiting for an approval of `iris`",
      );
    });

    it("`staging` (an unprotected hook stage) is approved on its gates alone", async () => {
      const [review] = await protectionRule("staging", v110(), {
        model: "iris",
        version: "v1.1.0",
        stage: "staging",
      });
      expect(review).toMatchObject({ environment_name: "staging", state: "approved" });
      expect(review!.comment).toContain("`staging` is not a protected stage, so no approval is needed");
    });

    it("a payload whose stage does not deploy to the environment, or an environment no hook names, is rejected", async () => {
      const [forged] = await protectionRule("staging", v110(), {
        model: "iris",
        version: "v1.1.0",
        stage: "production",
      });
      expect(forged).toMatchObject({ state: "rejected" });
      // The production hook moved iris's production to iris-prod: `production` is no one's now.
      const [plain] = await protectionRule("production", v110(), {});
      expect(plain).toMatchObject({ state: "rejected" });
      expect(plain!.comment).toContain("no model in trainyard.yaml deploys to `production`");
      // The branch that renamed the environment cannot make the app vouch for it.
      const [evil] = await protectionRule("attacker-env", v110(), {});
      expect(evil).toMatchObject({ state: "rejected" });
    });
  });
});
