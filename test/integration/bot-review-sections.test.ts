/**
 * The "Stages" section of the bot's sticky comment: what the run that wrote head's lock did per
 * stage (ran, restored from the run cache and from where, up to date) and the time it saved, read
 * from the record the run action commits next to the lock. Over signed deliveries to a real
 * Probot server and the loopback fake GitHub. The record is pull-request content: shown only for
 * the exact lock at head, escaped, and never part of the verdict. And the data section: committed
 * tables the pull request changes, summarized at base and head through the API.
 */
import { createHash } from "node:crypto";
import type { Link, Parent, Table } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { STAGE_OUTCOMES_FILE } from "../../src/core/file-names.js";
import { lockTextHash, serializeStageOutcomes, stageOutcomes } from "../../src/core/report/stage-outcomes.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";

const REPO = "acme/stages";
const CONFIG = `stages:
  prepare:
    cmd: node prepare.js
    outs: [data/prepared.csv]
  train:
    cmd: node train.js
    deps: [data/prepared.csv]
    outs: [model.json]
  evaluate:
    cmd: node evaluate.js
    deps: [model.json]
    metrics: [metrics.json]
models:
  iris:
    path: model.json
    metrics: metrics.json
    gates:
      accuracy: { min: 0.5 }
`;

function lock(version: string): string {
  const fp = (c: string) => `sha256:${c.repeat(64)}`;
  const stage = (name: string, cmd: string, fingerprint: string) =>
    `  ${name}:\n    cmd: ${cmd}\n    fingerprint: ${fingerprint}\n    deps: []\n    params: {}\n    outs: []\n    metrics: []\n    plots: []\n`;
  return `schema: 1\nstages:\n${stage("evaluate", "node evaluate.js", fp(version))}${stage("prepare", "node prepare.js", fp("a"))}${stage("train", "node train.js", fp(version))}`;
}

const HOSTILE = "remote s3 <img src=x onerror=alert(1)> | [click](https://evil.example) `code`";

let h: BotHarness;
let local: LocalRepo;

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  local = createLocalRepo({
    "trainyard.yaml": CONFIG,
    "trainyard.lock": lock("b"),
    "metrics.json": JSON.stringify({ accuracy: 0.8 }),
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

function textOf(node: unknown): string {
  const n = node as { value?: string; children?: unknown[] };
  return n.value ?? (n.children ?? []).map(textOf).join("");
}

function visit(node: Parent, each: (node: { type: string }) => void): void {
  for (const child of node.children) {
    each(child);
    if ("children" in child) visit(child as Parent, each);
  }
}

async function openPull(branch: string): Promise<string> {
  await local.publish(h.fake.state, REPO);
  const pull = h.fake.state.createPull(REPO, { head: branch, user: "alice" });
  await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number));
  await h.bot.idle();
  return h.fake.state.commentsOn(REPO, pull.number)[0]?.body ?? "";
}

describe("the stages section of the sticky comment", () => {
  it("shows ran / restored / up to date per stage with the time saved, escaped", async () => {
    const headLock = lock("c");
    const record = stageOutcomes(lockTextHash(headLock), [
      { stage: "prepare", action: "up-to-date", durationMs: 3 },
      {
        stage: "train",
        action: "restored",
        durationMs: 850,
        restored: { source: "origin", origin: HOSTILE, savedMs: 252_000 },
      },
      { stage: "evaluate", action: "ran", durationMs: 4_200 },
    ]);
    local.commit("restored", {
      "trainyard.lock": headLock,
      "metrics.json": JSON.stringify({ accuracy: 0.9 }),
      [STAGE_OUTCOMES_FILE]: serializeStageOutcomes(record),
    });
    const body = await openPull("restored");
    expect(body).toContain("#### Stages");
    expect(body).toMatch(/\| prepare \| up to date \| {2}\| {2}\|/);
    expect(body).toMatch(
      /\| train \| restored from the run cache \(remote origin; .*\| 850 ms \| 4 m 12 s \|/,
    );
    expect(body).toMatch(/\| evaluate \| ran \| 4 s \| {2}\|/);
    expect(body).toContain("1 ran, 1 restored, 1 up to date; the run cache saved 4 m 12 s.");
    // The origin text is anyone's: as GitHub's Markdown reads it, no extra cell, no HTML, no code
    // span, and no link whose text hides where it goes (a bare URL stays visible as itself).
    expect(body).not.toContain("<img");
    const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    const table = tree.children.find(
      (n): n is Table => n.type === "table" && textOf(n.children[0]).startsWith("stageresult"),
    );
    const trainRow = table?.children.find((row) => textOf(row.children[0]) === "train");
    expect(trainRow?.children).toHaveLength(4);
    const kinds = new Set<string>();
    visit(trainRow as Parent, (node) => {
      kinds.add(node.type);
      if (node.type === "link") expect(textOf(node)).toBe((node as Link).url);
    });
    expect([...kinds].filter((k) => ["html", "inlineCode", "image"].includes(k))).toEqual([]);
  });

  it("ignores a record that describes another lock (left from an earlier run) or does not parse", async () => {
    const stale = stageOutcomes(lockTextHash(lock("b")), [{ stage: "train", action: "ran", durationMs: 1 }]);
    local.commit("stale", {
      "trainyard.lock": lock("d"),
      [STAGE_OUTCOMES_FILE]: serializeStageOutcomes(stale),
    });
    const body = await openPull("stale");
    expect(body).not.toContain("#### Stages\n");
    expect(body).toContain("#### Stages re-run");

    local.commit("forged", {
      "trainyard.lock": lock("e"),
      [STAGE_OUTCOMES_FILE]: JSON.stringify({
        schema: 1,
        lock: lockTextHash(lock("e")),
        stages: [{ stage: "x", action: "pwned", durationMs: 1 }],
      }),
    });
    const forged = await openPull("forged");
    expect(forged).not.toContain("pwned");
    expect(forged).toContain("#### Stages re-run");
  });
});

describe("the data section of the sticky comment", () => {
  const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
  const dataLock = (csv: string, claimed = sha256(csv)) =>
    `schema: 1\nstages:\n  train:\n    cmd: node train.js\n    fingerprint: sha256:${"f".repeat(64)}\n    deps:\n      - path: data/train.csv\n        hash: ${claimed}\n        size: ${csv.length}\n    params: {}\n    outs: []\n    metrics: []\n    plots: []\n`;

  it("summarizes a committed CSV dep at base and head through the API, escaped", async () => {
    const before = "sepal,species\n5.1,setosa\n4.9,setosa\n";
    const after = "sepal,species,<b>|evil</b>\n5.1,setosa,1\n4.9,setosa,2\n7.0,versicolor,3\n";
    local.commit("data-base", { "data/train.csv": before, "trainyard.lock": dataLock(before) });
    local.commit(
      "data-head",
      { "data/train.csv": after, "trainyard.lock": dataLock(after) },
      "more rows",
      "data-base",
    );
    await local.publish(h.fake.state, REPO);
    const pull = h.fake.state.createPull(REPO, { head: "data-head", base: "data-base", user: "alice" });
    await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number));
    await h.bot.idle();
    const body = h.fake.state.commentsOn(REPO, pull.number)[0]?.body ?? "";
    expect(body).toContain("#### Data versions changed");
    expect(body).toContain("<details><summary>data/train.csv: 2 → 3 rows (+1), 1 column added</summary>");
    expect(body).toMatch(/\| sepal \| changed \| number \| 2 → 3 \|/);
    expect(body).toContain("| &lt;b&gt;\\|evil&lt;/b&gt; | added |");
    expect(body).not.toContain("<b>");
  });
});
