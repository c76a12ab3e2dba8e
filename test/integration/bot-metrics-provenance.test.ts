/**
 * Gates judge only metrics the pipeline produced: a real pipeline run by the real CLI, published
 * into the loopback fake GitHub, and the running bot over signed deliveries. A commit that edits
 * only `metrics.json` (as one pushed with `[skip ci]` would) gets a failing check that says why;
 * a commit whose metrics come from an actual `trainyard run` passes.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { importFromGit } from "../../support/fake-github/index.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { makePipelineRepo, type PipelineRepo } from "../helpers/pipeline-fixture.js";
import { runCli } from "../helpers/temp-repo.js";

const REPO = "acme/pipeline";
let h: BotHarness;
let repo: PipelineRepo;

beforeAll(async () => {
  h = await startBotHarness([REPO]);
  repo = await makePipelineRepo();
  // The model judged by its gate, on the metrics the `evaluate` stage writes.
  appendFileSync(
    join(repo.dir, "trainyard.yaml"),
    "models:\n  clf:\n    path: models/model.json\n    metrics: metrics.json\n    gates:\n      accuracy: { min: 0.01 }\n",
  );
  const run = await runCli(["run"], { cwd: repo.dir });
  expect(run.code, run.stderr).toBe(0);
  repo.git(["add", "-A"]);
  repo.git(["commit", "-q", "-m", "pipeline run"]);
  await importFromGit(h.fake.state, REPO, repo.dir);
}, 120_000);

afterAll(async () => {
  await h?.stop();
  repo?.cleanup();
});

afterEach(() => {
  expect(h.fake.failures).toEqual([]);
  expect(h.bot.queue.failures).toEqual([]);
});

async function openPull(branch: string) {
  await importFromGit(h.fake.state, REPO, repo.dir);
  const pull = h.fake.state.createPull(REPO, { head: branch, user: "mallory" });
  const payload = h.fake.webhooks.pullRequestPayload("opened", REPO, pull.number);
  expect((await h.fake.sendWebhook("pull_request", payload)).status).toBeLessThan(300);
  await h.bot.idle();
  const checks = [...h.fake.state.repo(REPO).checkRuns.values()].filter((r) => r.headSha === pull.head.sha);
  return { pull, checks };
}

describe("metrics provenance", () => {
  it("a commit that edits only metrics.json gets a failing check that says why", async () => {
    repo.git(["checkout", "-q", "-b", "hand-edited", "main"]);
    repo.write("metrics.json", JSON.stringify({ accuracy: 0.99 }));
    repo.git(["commit", "-q", "-am", "[skip ci] better metrics"]);
    const { pull, checks } = await openPull("hand-edited");
    expect(checks.map((c) => [c.name, c.conclusion, c.app])).toEqual([
      ["trainyard / clf", "failure", h.app.appId],
    ]);
    expect(checks[0]!.output.title).toBe("clf: metrics not produced by the pipeline");
    expect(checks[0]!.output.summary).toContain("`metrics.json` is not what stage `evaluate` wrote");
    const report = h.fake.state.commentsOn(REPO, pull.number).find((c) => c.user.login === "trainyard[bot]");
    expect(report?.body).toContain("The gates did not judge these metrics");
  });

  it("a changed dep without a re-run is caught too; metrics from a real run pass", async () => {
    repo.git(["checkout", "-q", "-b", "stale-dep", "main"]);
    repo.write("src/evaluate.js", `${repo.read("src/evaluate.js")}// tweak\n`);
    repo.git(["commit", "-q", "-am", "edit the evaluation without running it"]);
    const stale = await openPull("stale-dep");
    expect(stale.checks.map((c) => c.conclusion)).toEqual(["failure"]);
    expect(stale.checks[0]!.output.summary).toContain("stage `evaluate` is not up to date at this commit");
    expect(stale.checks[0]!.output.summary).toContain("dep src/evaluate.js changed");

    const run = await runCli(["run"], { cwd: repo.dir });
    expect(run.code, run.stderr).toBe(0);
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "re-run the pipeline"]);
    repo.git(["checkout", "-q", "-b", "re-run"]);
    const rerun = await openPull("re-run");
    expect(rerun.checks.map((c) => [c.conclusion, c.output.title])).toEqual([
      ["success", "clf: all 1 gates pass"],
    ]);
  });
});
