import { randomBytes } from "node:crypto";
import type { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient } from "../../src/github/client.js";
import { createOrUpdateCheckRun } from "../../src/github/create-or-update-check-run.js";
import { readFileAtRef, readTextAtRef } from "../../src/github/read-file-at-ref.js";
import { upsertStickyComment } from "../../src/github/upsert-sticky-comment.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github/index.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";

let fake: FakeGitHub;
let local: LocalRepo;
let octokit: Octokit;
let headSha: string;
let pullNumber: number;
const BIG = randomBytes(1_500_000);
const at = { owner: "acme", repo: "iris" };
const marker = "<!-- trainyard:report:iris -->";

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.state.createRepo({ owner: "acme", name: "iris" });
  fake.state.addToken("ghs_test", ["acme/iris"]);
  local = createLocalRepo({ "metrics.json": '{"accuracy":0.9}', "model.bin": BIG });
  headSha = local.commit("tune", { "metrics.json": '{"accuracy":0.95}' });
  await local.publish(fake.state, "acme/iris");
  pullNumber = fake.state.createPull("acme/iris", { head: "tune" }).number;
  octokit = createGitHubClient({ token: "ghs_test", baseUrl: fake.url });
});

afterAll(async () => {
  await fake.stop();
  local.cleanup();
});

afterEach(() => expect(fake.failures).toEqual([]));

describe("readFileAtRef", () => {
  it("reads small files at any ref, big ones through the blobs API, and says undefined when absent", async () => {
    expect(await readTextAtRef(octokit, { ...at, path: "metrics.json", ref: "main" })).toBe(
      '{"accuracy":0.9}',
    );
    expect(await readTextAtRef(octokit, { ...at, path: "metrics.json", ref: headSha })).toBe(
      '{"accuracy":0.95}',
    );
    const big = await readFileAtRef(octokit, { ...at, path: "model.bin", ref: "main" });
    expect(big?.equals(BIG)).toBe(true);
    const blobReads = fake.state.requests.filter((r) => r.operationId === "git/get-blob");
    expect(blobReads).toHaveLength(1);
    expect(await readFileAtRef(octokit, { ...at, path: "missing.json", ref: "main" })).toBeUndefined();
  });

  it("names the file when GitHub answers with an error", async () => {
    fake.state.faults.push({ operationId: "repos/get-content", status: 500, times: 1 });
    const noRetry = createGitHubClient({ token: "ghs_test", baseUrl: fake.url });
    await expect(readFileAtRef(noRetry, { ...at, path: "metrics.json", ref: "main" })).rejects.toThrow(
      /cannot read acme\/iris:metrics.json@main: HTTP 500/,
    );
  });
});

describe("upsertStickyComment", () => {
  it("creates once, then updates the same comment in place", async () => {
    const first = await upsertStickyComment(octokit, { ...at, issueNumber: pullNumber, marker, body: "v1" });
    const second = await upsertStickyComment(octokit, { ...at, issueNumber: pullNumber, marker, body: "v2" });
    const third = await upsertStickyComment(octokit, { ...at, issueNumber: pullNumber, marker, body: "v2" });
    expect([first.action, second.action, third.action]).toEqual(["created", "updated", "unchanged"]);
    expect(second.id).toBe(first.id);
    expect(fake.state.commentsOn("acme/iris", pullNumber).map((c) => c.body)).toEqual([`${marker}\nv2`]);
  });

  it("never duplicates when many calls race on one PR", async () => {
    const pull = fake.state.createPull("acme/iris", { head: "tune" }).number;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        upsertStickyComment(octokit, { ...at, issueNumber: pull, marker, body: `r${i}` }),
      ),
    );
    const comments = fake.state.commentsOn("acme/iris", pull);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(`${marker}\nr5`);
  });

  it("folds duplicates left by another process into the oldest, and ignores people quoting the marker", async () => {
    const pull = fake.state.createPull("acme/iris", { head: "tune" }).number;
    const repo = fake.state.repo("acme/iris");
    const bot = fake.state.user("github-actions[bot]");
    const human = fake.state.user("mallory");
    const seed = (body: string, user = bot) => {
      const id = fake.state.nextId();
      repo.comments.set(id, { id, issueNumber: pull, body, user, createdAt: "", updatedAt: "" });
      return id;
    };
    const quoted = seed(`look: ${marker}`, human);
    const oldest = seed(`${marker}\nold`);
    seed(`${marker}\nracer`);
    const result = await upsertStickyComment(octokit, { ...at, issueNumber: pull, marker, body: "new" });
    expect(result.id).toBe(oldest);
    expect(result.removed).toHaveLength(1);
    expect(fake.state.commentsOn("acme/iris", pull).map((c) => [c.id, c.body])).toEqual([
      [quoted, `look: ${marker}`],
      [oldest, `${marker}\nnew`],
    ]);
  });
});

describe("createOrUpdateCheckRun", () => {
  it("creates `trainyard / <model>` once per head sha and updates it afterwards", async () => {
    const check = { ...at, headSha, model: "iris", title: "gates pass", summary: "ok" } as const;
    const first = await createOrUpdateCheckRun(octokit, { ...check, conclusion: "success" });
    const second = await createOrUpdateCheckRun(octokit, {
      ...check,
      conclusion: "failure",
      title: "accuracy gate failed",
      summary: "x".repeat(70_000),
    });
    expect(first.action).toBe("created");
    expect(second).toEqual({ id: first.id, action: "updated" });
    const runs = [...fake.state.repo("acme/iris").checkRuns.values()];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: "trainyard / iris", conclusion: "failure", status: "completed" });
    expect(runs[0]!.output.summary!.length).toBeLessThanOrEqual(65_535);
    expect(runs[0]!.output.summary).toMatch(/truncated/);
  });
});
