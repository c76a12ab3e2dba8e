/**
 * The "Stages" section of the bot's sticky comment: what the run that wrote head's lock did per
 * stage (ran, restored from the run cache and from where, up to date) and the time it saved, read
 * from the record the run action commits next to the lock. Over signed deliveries to a real
 * Probot server and the loopback fake GitHub. The record is pull-request content: shown only for
 * the exact lock at head, escaped, and never part of the verdict.
 */
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
