import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { git } from "../../support/git-origin.js";
import { fillFromSchema } from "../../support/fake-github/fill-schema.js";
import { loadGitHubOpenApi } from "../../support/fake-github/openapi-validator.js";
import {
  type FakeGitHub,
  generateAppKeyPair,
  importFromGit,
  installTestApp,
  signAppJwt,
  sign,
  startFakeGitHub,
  type TestApp,
  validateWebhookPayload,
} from "../../support/fake-github/index.js";

let fake: FakeGitHub;
let app: TestApp;
let octokit: Octokit;
let workdir: string;
const BIG = randomBytes(1_200_000); // over the contents API's 1 MB inline limit

function writeFiles(dir: string, files: Record<string, string | Buffer>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

beforeAll(async () => {
  fake = await startFakeGitHub();
  app = installTestApp(fake, ["acme/models"]);
  workdir = mkdtempSync(join(tmpdir(), "ty-fake-gh-"));
  git(workdir, "init", "--quiet", "--initial-branch=main");
  writeFiles(workdir, {
    "metrics.json": '{"accuracy":0.9}\n',
    "models/iris/README.md": "# iris\n",
    "big.bin": BIG,
  });
  git(workdir, "add", "--all");
  git(workdir, "commit", "--quiet", "-m", "base");
  git(workdir, "checkout", "--quiet", "-b", "feature");
  writeFiles(workdir, { "metrics.json": '{"accuracy":0.95}\n' });
  git(workdir, "commit", "--quiet", "-am", "better");
  git(workdir, "tag", "-a", "iris@v1.0.0", "-m", "registered");
  await importFromGit(fake.state, "acme/models", workdir);
  const jwt = new Octokit({ baseUrl: fake.url, auth: signAppJwt(app.appId, app.privateKey) });
  const { data } = await jwt.apps.createInstallationAccessToken({ installation_id: app.installationId });
  octokit = new Octokit({ baseUrl: fake.url, auth: data.token });
});

afterAll(async () => {
  await fake.stop();
  rmSync(workdir, { recursive: true, force: true });
});

afterEach(() => {
  // Every test below must have spoken GitHub's API exactly as described; the ones that provoke a
  // failure on purpose take it out of the list themselves.
  expect(fake.failures).toEqual([]);
});

const repo = { owner: "acme", repo: "models" };

describe("app authentication", () => {
  it("refuses a JWT signed by another key, anonymous repo access, and repos outside the installation", async () => {
    const other = generateAppKeyPair();
    const forged = new Octokit({ baseUrl: fake.url, auth: signAppJwt(app.appId, other.privateKey) });
    await expect(
      forged.apps.createInstallationAccessToken({ installation_id: app.installationId }),
    ).rejects.toMatchObject({ status: 401 });
    const anonymous = new Octokit({ baseUrl: fake.url });
    await expect(anonymous.repos.get(repo)).rejects.toMatchObject({ status: 401 });
    fake.state.createRepo({ owner: "acme", name: "private", private: true });
    await expect(octokit.repos.get({ owner: "acme", repo: "private" })).rejects.toMatchObject({
      status: 404,
    });
    const { data } = await octokit.repos.get(repo);
    expect(data.full_name).toBe("acme/models");
  });

  it("honours a GITHUB_TOKEN-style grant and attributes writes to its actor", async () => {
    fake.state.addToken("ghs_actions", ["acme/models"]);
    const actions = new Octokit({ baseUrl: fake.url, auth: "ghs_actions" });
    const { data } = await actions.issues.create({ ...repo, title: "drift detected" });
    expect(data.user?.login).toBe("github-actions[bot]");
  });
});

describe("contents and git data read from a real repository", () => {
  it("serves files at branches, shas and tags, base64-encoded, and directories as lists", async () => {
    const read = async (ref: string) => {
      const { data } = await octokit.repos.getContent({ ...repo, path: "metrics.json", ref });
      if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
      return Buffer.from(data.content, "base64").toString();
    };
    expect(await read("main")).toBe('{"accuracy":0.9}\n');
    expect(await read("feature")).toBe('{"accuracy":0.95}\n');
    expect(await read("iris@v1.0.0")).toBe('{"accuracy":0.95}\n');
    expect(await read(git(workdir, "rev-parse", "main").trim())).toBe('{"accuracy":0.9}\n');
    const { data: dir } = await octokit.repos.getContent({ ...repo, path: "models/iris", ref: "main" });
    expect(Array.isArray(dir) && dir.map((e) => e.name)).toEqual(["README.md"]);
    await expect(octokit.repos.getContent({ ...repo, path: "nope.json", ref: "main" })).rejects.toMatchObject(
      { status: 404 },
    );
  });

  it("omits content over 1 MB like GitHub and serves it through the blobs API", async () => {
    const { data } = await octokit.repos.getContent({ ...repo, path: "big.bin", ref: "main" });
    if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
    expect(data.encoding).toBe("none");
    expect(data.content).toBe("");
    const { data: blob } = await octokit.git.getBlob({ ...repo, file_sha: data.sha });
    expect(Buffer.from(blob.content, "base64").equals(BIG)).toBe(true);
  });

  it("creates an annotated tag and its ref through the git data API, refusing non-fast-forwards", async () => {
    const main = git(workdir, "rev-parse", "main").trim();
    const feature = git(workdir, "rev-parse", "feature").trim();
    const { data: tag } = await octokit.git.createTag({
      ...repo,
      tag: "iris#staging#1",
      message: "by: test",
      object: feature,
      type: "commit",
      tagger: { name: "Bot", email: "bot@example.com", date: "2026-01-02T00:00:00Z" },
    });
    await octokit.git.createRef({ ...repo, ref: "refs/tags/iris#staging#1", sha: tag.sha });
    const { data: refs } = await octokit.git.listMatchingRefs({ ...repo, ref: "tags/iris" });
    expect(refs.map((r) => r.ref)).toEqual(["refs/tags/iris#staging#1", "refs/tags/iris@v1.0.0"]);
    const { data: read } = await octokit.git.getTag({ ...repo, tag_sha: tag.sha });
    expect(read).toMatchObject({ tag: "iris#staging#1", message: "by: test", object: { sha: feature } });
    await expect(octokit.git.updateRef({ ...repo, ref: "heads/feature", sha: main })).rejects.toMatchObject({
      status: 422,
    });
  });

  it("builds a commit from a tree of inline content on top of a branch", async () => {
    const parent = git(workdir, "rev-parse", "main").trim();
    const { data: base } = await octokit.git.getCommit({ ...repo, commit_sha: parent });
    const { data: tree } = await octokit.git.createTree({
      ...repo,
      base_tree: base.tree.sha,
      tree: [{ path: "models/iris/card.md", mode: "100644", type: "blob", content: "card\n" }],
    });
    const { data: commit } = await octokit.git.createCommit({
      ...repo,
      message: "card",
      tree: tree.sha,
      parents: [parent],
    });
    await octokit.git.updateRef({ ...repo, ref: "heads/main", sha: commit.sha });
    const { data } = await octokit.repos.getContent({ ...repo, path: "models/iris/card.md", ref: "main" });
    expect(
      !Array.isArray(data) && data.type === "file" && Buffer.from(data.content, "base64").toString(),
    ).toBe("card\n");
    const { data: readme } = await octokit.repos.getContent({
      ...repo,
      path: "models/iris/README.md",
      ref: "main",
    });
    expect(!Array.isArray(readme) && readme.type).toBe("file");
  });
});

describe("pulls, comments, reactions, checks, deployments", () => {
  it("keeps PR comments and reactions; records every write", async () => {
    const pull = fake.state.createPull("acme/models", {
      head: "feature",
      title: "better model",
      user: "alice",
    });
    const { data: pr } = await octokit.pulls.get({ ...repo, pull_number: pull.number });
    expect(pr.head.sha).toBe(git(workdir, "rev-parse", "feature").trim());
    const before = fake.state.writes.length;
    const { data: comment } = await octokit.issues.createComment({
      ...repo,
      issue_number: pull.number,
      body: "hello",
    });
    expect(comment.user?.login).toBe("trainyard[bot]");
    await octokit.issues.updateComment({ ...repo, comment_id: comment.id, body: "hello again" });
    await octokit.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content: "eyes" });
    const { data: list } = await octokit.issues.listComments({ ...repo, issue_number: pull.number });
    expect(list.map((c) => c.body)).toEqual(["hello again"]);
    expect(fake.state.writes.slice(before).map((w) => w.operationId)).toEqual([
      "issues/create-comment",
      "issues/update-comment",
      "reactions/create-for-issue-comment",
    ]);
    await octokit.issues.deleteComment({ ...repo, comment_id: comment.id });
    expect(fake.state.commentsOn("acme/models", pull.number)).toEqual([]);
  });

  it("creates, completes and lists check runs", async () => {
    const head_sha = git(workdir, "rev-parse", "feature").trim();
    const { data: run } = await octokit.checks.create({
      ...repo,
      name: "trainyard / iris",
      head_sha,
      status: "in_progress",
    });
    await octokit.checks.update({
      ...repo,
      check_run_id: run.id,
      conclusion: "failure",
      output: { title: "gate", summary: "accuracy dropped" },
    });
    const { data } = await octokit.checks.listForRef({
      ...repo,
      ref: head_sha,
      check_name: "trainyard / iris",
    });
    expect(data.check_runs).toHaveLength(1);
    expect(data.check_runs[0]).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { summary: "accuracy dropped" },
    });
  });

  it("records deployments with statuses, dispatches, protection-rule answers and permissions", async () => {
    const { data: deployment } = await octokit.repos.createDeployment({
      ...repo,
      ref: "main",
      environment: "production",
      auto_merge: false,
      required_contexts: [],
    });
    if (!("id" in deployment)) throw new Error("expected a deployment");
    await octokit.repos.createDeploymentStatus({ ...repo, deployment_id: deployment.id, state: "success" });
    const { data: statuses } = await octokit.repos.listDeploymentStatuses({
      ...repo,
      deployment_id: deployment.id,
    });
    expect(statuses.map((s) => s.state)).toEqual(["success"]);
    await octokit.repos.createDispatchEvent({
      ...repo,
      event_type: "trainyard-retrain",
      client_payload: { model: "iris" },
    });
    expect(fake.state.repo("acme/models").dispatches).toEqual([
      { event_type: "trainyard-retrain", client_payload: { model: "iris" } },
    ]);
    await octokit.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule", {
      ...repo,
      run_id: 7,
      environment_name: "production",
      state: "approved",
      comment: "ok",
    });
    expect(fake.state.repo("acme/models").protectionRuleReviews).toEqual([
      { runId: 7, environment_name: "production", state: "approved", comment: "ok" },
    ]);
    fake.state.repo("acme/models").collaborators.set("mallory", "triage");
    const { data: perm } = await octokit.repos.getCollaboratorPermissionLevel({
      ...repo,
      username: "mallory",
    });
    expect(perm).toMatchObject({ permission: "read", role_name: "triage" });
    fake.state.faults.push({ operationId: "repos/get-collaborator-permission-level", status: 502, times: 1 });
    await expect(
      octokit.repos.getCollaboratorPermissionLevel({ ...repo, username: "mallory" }),
    ).rejects.toMatchObject({ status: 502 });
  });
});

describe("validation against GitHub's description", () => {
  it("answers 422 to a body GitHub would refuse and records it", async () => {
    await expect(
      // A typo'd field name, as a caller might send it: the route is typed, so build it untyped.
      octokit.request({ method: "POST", url: "/repos/acme/models/issues/1/comments", text: "x" }),
    ).rejects.toMatchObject({ status: 422 });
    expect(fake.failures.splice(0)).toEqual([expect.stringContaining("must have required property 'body'")]);
  });

  it("answers 404 to a route GitHub does not have and records it", async () => {
    await expect(octokit.request("GET /repos/{owner}/{repo}/no-such-thing", repo)).rejects.toMatchObject({
      status: 404,
    });
    expect(fake.failures.splice(0)).toEqual([expect.stringContaining("no such route")]);
  });

  it("records a handler whose response does not match GitHub's schema", async () => {
    const original = fake.routes["repos/get"]!;
    fake.routes["repos/get"] = () => ({ status: 200, body: { id: "not-a-number" } });
    try {
      await octokit.repos.get(repo);
    } finally {
      fake.routes["repos/get"] = original;
    }
    expect(fake.failures.splice(0)).toEqual([
      expect.stringMatching(/response 200 off-schema: \/id must be integer/),
    ]);
  });
});

describe("schema completion", () => {
  it("completes an empty body into a valid response for every operation the fake serves", async () => {
    const openapi = await loadGitHubOpenApi();
    const served = new Set(Object.keys(fake.routes));
    const invalid: string[] = [];
    let checked = 0;
    for (const operation of openapi.backend.router.getOperations()) {
      if (!served.has(operation.operationId ?? "")) continue;
      const status = Object.keys(operation.responses ?? {})
        .map(Number)
        .find((code) => code >= 200 && code < 300)!;
      const schema = openapi.responseSchema(operation, status);
      if (!schema) continue;
      const result = openapi.validateResponse(fillFromSchema(schema, undefined), operation, status);
      checked += 1;
      if (!result.valid) invalid.push(`${operation.operationId}: ${result.errors.join("; ")}`);
    }
    expect(checked).toBeGreaterThan(25);
    expect(invalid).toEqual([]);
  });
});

describe("webhooks", () => {
  it("checks every payload it builds against GitHub's webhook schema", () => {
    const good = fake.webhooks.eventPayload("issue_comment", "created", "acme/models");
    expect(validateWebhookPayload("issue_comment", "created", good)).toEqual([]);
    fake.webhooks.eventPayload("issue_comment", "created", "acme/models", {
      comment: { id: "not-a-number" },
    });
    expect(fake.failures.splice(0)).toEqual([
      expect.stringMatching(
        /^webhook issue_comment\.created payload off-schema: \/comment\/id must be integer/,
      ),
    ]);
  });

  it("signs the exact body and adjusts example payloads to the fake's PR", async () => {
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      fake.webhooks.target.url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
      fake.webhooks.target.secret = "s3cret";
      const pull = fake.state.createPull("acme/models", { head: "feature", user: "bob" });
      const payload = fake.webhooks.pullRequestPayload("synchronize", "acme/models", pull.number);
      const result = await fake.sendWebhook("pull_request", payload);
      expect(result.status).toBe(202);
      const [delivery] = received;
      expect(delivery!.headers["x-hub-signature-256"]).toBe(sign("s3cret", delivery!.body));
      expect(delivery!.headers["x-github-event"]).toBe("pull_request");
      const sent = JSON.parse(delivery!.body);
      expect(sent).toMatchObject({
        action: "synchronize",
        number: pull.number,
        installation: { id: app.installationId },
        repository: { full_name: "acme/models" },
        pull_request: {
          head: { sha: pull.head.sha, ref: "feature" },
          base: { sha: pull.base.sha },
          user: { login: "bob" },
        },
      });
      // No example exists for this event: the payload is built from the webhook schema.
      const rule = fake.webhooks.eventPayload("deployment_protection_rule", "requested", "acme/models", {
        environment: "production",
      });
      expect(rule).toMatchObject({
        action: "requested",
        environment: "production",
        installation: { id: app.installationId },
      });
      expect(typeof rule.deployment_callback_url).toBe("string");
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});
