/**
 * The bot's sticky comment on a PR that changes plots: 18 curves, a DVC-style confusion matrix
 * and a PNG — 20 plots — over signed HTTP deliveries to a real Probot server and the loopback
 * fake GitHub. The comment shows them, folds all but the first, pins the image to the head
 * commit, stays under GitHub's 65,536-character limit, and is updated in place on the next push
 * with one more row in its iterations table.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reportMarker } from "../../src/core/report/report-marker.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { createLocalRepo, type Files, type LocalRepo } from "../../support/github-repo.js";
import { tinyPng } from "../helpers/tiny-png.js";

const REPO = "acme/plots";
const CURVES = 18;
const curvePaths = Array.from({ length: CURVES }, (_, i) => `plots/curve-${String(i).padStart(2, "0")}.csv`);
const CONFIG = `stages:
  evaluate:
    cmd: node evaluate.js
    metrics: [metrics.json]
    plots:
${curvePaths.map((p) => `      - ${p}: { x: step, y: [loss, val_loss], title: "Loss ${p}" }`).join("\n")}
      - plots/confusion.json: { template: confusion, x: actual, y: predicted, title: Confusion }
      - plots/importance.png
models:
  iris:
    path: model.json
    metrics: metrics.json
    gates:
      accuracy: { min: 0.5 }
`;

function curve(shift: number): string {
  const rows = ["step,loss,val_loss"];
  for (let step = 0; step < 2_000; step++) {
    rows.push(
      `${step},${(1 / (1 + step / 100) + shift).toFixed(5)},${(1.1 / (1 + step / 120) + shift).toFixed(5)}`,
    );
  }
  return `${rows.join("\n")}\n`;
}

function confusion(mistakes: number): string {
  const rows = ["a", "b", "c"].flatMap((label) =>
    Array.from({ length: 20 }, () => ({ actual: label, predicted: label })),
  );
  for (let i = 0; i < mistakes; i++) rows.push({ actual: "b", predicted: "c" });
  return JSON.stringify(rows);
}

function plotFiles(shift: number, mistakes: number, color: [number, number, number]): Files {
  return {
    ...Object.fromEntries(curvePaths.map((p) => [p, curve(shift)])),
    "plots/confusion.json": confusion(mistakes),
    "plots/importance.png": tinyPng(color),
  };
}

let h: BotHarness;
let local: LocalRepo;

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  local = createLocalRepo({
    "trainyard.yaml": CONFIG,
    "metrics.json": JSON.stringify({ accuracy: 0.8 }),
    ...plotFiles(0, 4, [200, 0, 0]),
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

describe("plots in the bot's sticky comment", () => {
  it("shows 20 changed plots under the comment limit and updates them in place on a push", async () => {
    local.commit("better", {
      "metrics.json": JSON.stringify({ accuracy: 0.9 }),
      ...plotFiles(-0.05, 1, [0, 0, 200]),
    });
    await local.publish(h.fake.state, REPO);
    const pull = h.fake.state.createPull(REPO, { head: "better", user: "alice" });
    const deliver = (action: string) =>
      h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload(action, REPO, pull.number));
    expect((await deliver("opened")).status).toBe(202);
    await h.bot.idle();

    const [comment, ...others] = h.fake.state.commentsOn(REPO, pull.number);
    expect(others).toEqual([]);
    const body = comment?.body ?? "";
    expect(body).toContain(reportMarker("iris"));
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("#### Plots (20 of 20 changed)");
    expect(body.match(/xychart-beta/g)).toHaveLength(CURVES);
    expect(body.match(/<details><summary>/g)).toHaveLength(19);
    expect(body).toContain("| **b** | 0 | 20 | 1 (-3) |");
    const headSha = h.fake.state.syncPull(REPO, pull.number).head.sha;
    expect(body).toContain(`](https://github.com/${REPO}/raw/${headSha}/plots/importance.png)`);
    expect(body).toContain("#### Iterations on this pull request");
    expect(body).toContain(`| 1 | \`${headSha.slice(0, 7)}\` | 0.9 | ✅ pass |`);

    local.commit("better", {
      "metrics.json": JSON.stringify({ accuracy: 0.4 }),
      ...plotFiles(-0.1, 0, [0, 200, 0]),
    });
    await local.publish(h.fake.state, REPO);
    const synced = h.fake.state.syncPull(REPO, pull.number);
    expect((await deliver("synchronize")).status).toBe(202);
    await h.bot.idle();
    const after = h.fake.state.commentsOn(REPO, pull.number);
    expect(after.map((c) => c.id)).toEqual([comment?.id]);
    expect(after[0]?.body).toContain(`/raw/${synced.head.sha}/plots/importance.png`);
    expect(after[0]?.body).toContain("| **b** | 0 | 20 | 0 (-4) |");
    // The iterations table keeps the first push and adds this one.
    expect(after[0]?.body).toContain(`| 1 | \`${headSha.slice(0, 7)}\` | 0.9 | ✅ pass |`);
    expect(after[0]?.body).toContain(`| 2 | \`${synced.head.sha.slice(0, 7)}\` | 0.4 | ❌ fail |`);
    expect(after[0]?.body.length).toBeLessThan(65_536);
  });

  it("shows the SVGs the run action committed at head by commit-pinned URLs, still under the limit", async () => {
    const svg = (n: number) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="${n}"/></svg>`;
    // The run action's rendering (see core/plots/rendered-plots.ts): next to metrics.json, one per data plot.
    const rendered = Object.fromEntries(
      [...curvePaths, "plots/confusion.json"].map((p, i) => [
        `trainyard-plots/${p.replace(/\//g, "_")}.svg`,
        svg(i),
      ]),
    );
    local.commit("rendered", { ...plotFiles(-0.02, 2, [0, 0, 100]), ...rendered });
    await local.publish(h.fake.state, REPO);
    const pull = h.fake.state.createPull(REPO, { head: "rendered", user: "alice" });
    await h.fake.sendWebhook("pull_request", h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number));
    await h.bot.idle();
    const body = h.fake.state.commentsOn(REPO, pull.number)[0]?.body ?? "";
    const headSha = h.fake.state.syncPull(REPO, pull.number).head.sha;
    expect(body).toContain(
      `![Confusion (rendered at head)](https://github.com/${REPO}/raw/${headSha}/trainyard-plots/plots_confusion.json.svg)`,
    );
    expect(body.match(/\(rendered at head\)\]\(https:\/\/github\.com\/acme\/plots\/raw\//g)).toHaveLength(19);
    expect(body.length).toBeLessThan(65_536);
  });
});
