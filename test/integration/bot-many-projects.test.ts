/**
 * Two projects in one repository (`vision/` and `tabular/`, each with its own trainyard.yaml and
 * no root config) over the real bot: signed deliveries, the loopback fake GitHub, real git
 * history. Each project gets its own report and check per model, GTO's folder-prefixed tags, and
 * a merge registers only the projects whose artifacts changed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import { mergePull, registryTags, writesSince } from "../../support/promotion-fixture.js";

const REPO = "acme/zoo";

/** GTO's `tag_re` (gto/constants.py), as test/unit/gto-interop.test.ts keeps it. */
const GTO_DIRNAME = "[a-zA-Z0-9\\-_./]+";
const GTO_NAME = "[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?";
const GTO_TAG_RE = new RegExp(
  `^(?<artifact>(?:${GTO_DIRNAME}=)?${GTO_NAME})(?:(?:#(?<stage>${GTO_NAME})|@(?<version>v\\d+\\.\\d+\\.\\d+))(?<cancel>!?)|@(?:deprecated|created))(?:#(?<counter>[0-9]+))?$`,
);

const projectConfig = (model: string, metric: string, min: number) => `models:
  ${model}:
    path: models/${model}.bin
    metrics: metrics.json
    gates:
      ${metric}: { min: ${min} }
`;

/** A lock whose `train` stage wrote the model with content hash `h`. */
function lock(model: string, h: string): string {
  return [
    "schema: 1",
    "stages:",
    "  train:",
    "    cmd: node train.js",
    `    fingerprint: sha256:${"0".repeat(64)}`,
    "    deps: []",
    "    params: {}",
    "    outs:",
    `      - path: models/${model}.bin`,
    `        hash: sha256:${h.repeat(64).slice(0, 64)}`,
    "        size: 10",
    "    metrics: []",
    "    plots: []",
    "",
  ].join("\n");
}

const metrics = (values: Record<string, number>) => `${JSON.stringify(values)}\n`;

let h: BotHarness;
let local: LocalRepo;

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  local = createLocalRepo({
    "README.md": "two projects\n",
    "vision/trainyard.yaml": projectConfig("classifier", "accuracy", 0.9),
    "vision/metrics.json": metrics({ accuracy: 0.91 }),
    "vision/trainyard.lock": lock("classifier", "a"),
    "tabular/trainyard.yaml": projectConfig("regressor", "r2", 0.5),
    "tabular/metrics.json": metrics({ r2: 0.6 }),
    "tabular/trainyard.lock": lock("regressor", "a"),
  });
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

async function openPull(branch: string, files: Record<string, string>) {
  local.commit(branch, files);
  await local.publish(h.fake.state, REPO);
  const pull = h.fake.state.createPull(REPO, { head: branch, user: "paula" });
  const delivery = await h.fake.sendWebhook(
    "pull_request",
    h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number),
  );
  expect(delivery.status).toBeLessThan(300);
  await h.bot.idle();
  return pull;
}

async function mergeAndDeliver(number: number, branch: string) {
  const sha = await mergePull(h.fake, local, REPO, number, branch);
  const delivery = await h.fake.sendWebhook(
    "pull_request",
    h.fake.webhooks.pullRequestPayload("closed", REPO, number),
  );
  expect(delivery.status).toBeLessThan(300);
  await h.bot.idle();
  return sha;
}

const checksOn = (sha: string) =>
  [...h.fake.state.repo(REPO).checkRuns.values()]
    .filter((r) => r.headSha === sha)
    .map((r) => [r.name, r.conclusion])
    .sort();

describe("two projects in one repository", () => {
  it("a pull request gets one report and one check per project model, named by folder", async () => {
    const pull = await openPull("retrain-both", {
      "vision/metrics.json": metrics({ accuracy: 0.95 }),
      "vision/trainyard.lock": lock("classifier", "b"),
      "tabular/metrics.json": metrics({ r2: 0.4 }),
      "tabular/trainyard.lock": lock("regressor", "b"),
    });
    expect(checksOn(pull.head.sha)).toEqual([
      ["trainyard / tabular:regressor", "failure"],
      ["trainyard / vision:classifier", "success"],
    ]);
    const bodies = h.fake.state.commentsOn(REPO, pull.number).map((c) => c.body);
    const vision = bodies.filter((b) => b.includes("`vision:classifier`"));
    const tabular = bodies.filter((b) => b.includes("`tabular:regressor`"));
    expect(vision).toHaveLength(1);
    expect(tabular).toHaveLength(1);
    // Each section reads its own project's files: the metric values of that project only.
    expect(vision[0]).toContain("accuracy");
    expect(vision[0]).toContain("0.95");
    expect(vision[0]).not.toContain("r2");
    expect(tabular[0]).toContain("r2");
    expect(tabular[0]).not.toContain("accuracy");
  });

  it("a merge registers each passing project's model with GTO's folder-prefixed tags", async () => {
    const pull = await openPull("both-pass", {
      "vision/metrics.json": metrics({ accuracy: 0.96 }),
      "vision/trainyard.lock": lock("classifier", "c"),
      "tabular/metrics.json": metrics({ r2: 0.7 }),
      "tabular/trainyard.lock": lock("regressor", "c"),
    });
    const sha = await mergeAndDeliver(pull.number, "both-pass");
    const tags = registryTags(h.fake, REPO);
    for (const name of [
      "vision=classifier@v1.0.0",
      "vision=classifier#staging#1",
      "tabular=regressor@v1.0.0",
      "tabular=regressor#staging#1",
    ]) {
      expect(tags.get(name), name).toMatchObject({ commit: sha, annotated: true });
      expect(GTO_TAG_RE.exec(name)?.groups?.artifact).toBe(name.split(/[@#]/)[0]);
    }
    const summary = h.fake.state
      .commentsOn(REPO, pull.number)
      .map((c) => c.body)
      .find((b) => b.includes("Trainyard registry"));
    expect(summary).toContain("vision:classifier");
    expect(summary).toContain("tabular:regressor");
  });

  it("a pull request touching only tabular/ registers only the tabular model", async () => {
    const pull = await openPull("tabular-only", {
      "tabular/metrics.json": metrics({ r2: 0.75 }),
      "tabular/trainyard.lock": lock("regressor", "d"),
    });
    // Both projects still report on the pull request …
    expect(checksOn(pull.head.sha).map(([name]) => name)).toEqual([
      "trainyard / tabular:regressor",
      "trainyard / vision:classifier",
    ]);
    const before = h.fake.state.writes.length;
    const sha = await mergeAndDeliver(pull.number, "tabular-only");
    // … but only the changed one is registered: its version bumps, the other stays put.
    const tags = registryTags(h.fake, REPO);
    expect(tags.get("tabular=regressor@v1.1.0")?.commit).toBe(sha);
    expect(tags.get("tabular=regressor#staging#2")?.commit).toBe(sha);
    expect([...tags.keys()].filter((t) => t.startsWith("vision=")).sort()).toEqual([
      "vision=classifier#staging#1",
      "vision=classifier@v1.0.0",
    ]);
    expect(writesSince(h.fake, before).filter((w) => w === "git/create-ref")).toHaveLength(2);
  });

  it("a failing project blocks only itself", async () => {
    const pull = await openPull("vision-worse", {
      "vision/metrics.json": metrics({ accuracy: 0.5 }),
      "vision/trainyard.lock": lock("classifier", "e"),
      "tabular/metrics.json": metrics({ r2: 0.8 }),
      "tabular/trainyard.lock": lock("regressor", "e"),
    });
    await mergeAndDeliver(pull.number, "vision-worse");
    const tags = registryTags(h.fake, REPO);
    expect(tags.has("tabular=regressor@v1.2.0")).toBe(true);
    expect(tags.has("vision=classifier@v1.1.0")).toBe(false);
    const summary = h.fake.state
      .commentsOn(REPO, pull.number)
      .map((c) => c.body)
      .find((b) => b.includes("Trainyard registry"));
    expect(summary).toContain("the `trainyard / vision:classifier` check concluded `failure`");
  });
});
