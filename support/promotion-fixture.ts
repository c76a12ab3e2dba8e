/**
 * A Trainyard project published into the fake GitHub for the promotion and slash-command tests:
 * trainyard.yaml with one gated model, a lock whose model hash a branch can change, helpers to
 * merge a pull request the way GitHub does (a real merge commit), to post a person's comment
 * and deliver `issue_comment`, and to read registry tags back out of the fake.
 */
import type { FakeGitHub, FakeUser } from "./fake-github/index.js";
import { parseTag } from "./fake-github/git-objects.js";
import { git } from "./git-origin.js";
import type { LocalRepo } from "./github-repo.js";

export const PROMOTION_CONFIG = `params: params.yaml
models:
  iris:
    path: models/iris/model.json
    metrics: metrics.json
    gates:
      accuracy: { min: 0.9, max_drop: 0.05 }
    approvers: [alice, acme/ml-leads]
`;

export const metricsFile = (accuracy: number) => `${JSON.stringify({ accuracy })}\n`;

/** A valid trainyard.lock whose `train` stage produced the model with content hash `h`. */
export function lockFile(h: string): string {
  const hash = `sha256:${h.repeat(64).slice(0, 64)}`;
  return [
    "schema: 1",
    "stages:",
    "  train:",
    "    cmd: node train.js",
    `    fingerprint: sha256:${"0".repeat(64)}`,
    "    deps: []",
    "    params: {}",
    "    outs:",
    "      - path: models/iris/model.json",
    `        hash: ${hash}`,
    "        size: 10",
    "    metrics: []",
    "    plots: []",
    "",
  ].join("\n");
}

export const baseFiles = {
  "trainyard.yaml": PROMOTION_CONFIG,
  "params.yaml": "train:\n  trees: 10\n",
  "metrics.json": metricsFile(0.91),
  "trainyard.lock": lockFile("a"),
};

/** Merges `branch` into main with a merge commit, publishes it, and marks the PR merged. */
export async function mergePull(
  fake: FakeGitHub,
  local: LocalRepo,
  fullName: string,
  number: number,
  branch: string,
) {
  git(local.dir, "checkout", "--quiet", "main");
  git(local.dir, "merge", "--quiet", "--no-ff", branch, "-m", `Merge pull request #${number}`);
  const sha = git(local.dir, "rev-parse", "HEAD").trim();
  await local.publish(fake.state, fullName);
  const repo = fake.state.repo(fullName);
  const pull = repo.pulls.get(number)!;
  pull.merged = true;
  pull.mergeCommitSha = sha;
  repo.issues.get(number)!.state = "closed";
  return sha;
}

/** A person (or bot) writes a comment; GitHub then delivers `issue_comment`. */
export async function comment(
  fake: FakeGitHub,
  fullName: string,
  number: number,
  login: string,
  body: string,
  options: {
    action?: "created" | "edited" | "deleted";
    type?: FakeUser["type"];
    /** What GitHub holds by the time the bot reads it back: an edited body, or null (deleted). */
    stored?: string | null;
  } = {},
) {
  const repo = fake.state.repo(fullName);
  const user = fake.state.user(login, options.type);
  const now = fake.state.timestamp();
  const id = fake.state.nextId();
  if (options.stored !== null) {
    const storedBody = options.stored ?? body;
    repo.comments.set(id, {
      id,
      issueNumber: number,
      body: storedBody,
      user,
      createdAt: now,
      updatedAt: now,
    });
  }
  const issue = repo.issues.get(number)!;
  const payload = fake.webhooks.eventPayload("issue_comment", options.action ?? "created", fullName);
  const example = payload.issue as Record<string, unknown>;
  const exampleComment = payload.comment as Record<string, unknown>;
  const rendered = { login: user.login, id: user.id, type: user.type, node_id: `U_${user.id}` };
  const delivered = {
    ...payload,
    issue: {
      ...example,
      number,
      state: issue.state,
      user: {
        ...(example.user as object),
        login: issue.user.login,
        id: issue.user.id,
        type: issue.user.type,
      },
      ...(issue.isPull ? { pull_request: { url: `${fake.url}/repos/${fullName}/pulls/${number}` } } : {}),
    },
    comment: { ...exampleComment, id, body, user: { ...(exampleComment.user as object), ...rendered } },
    sender: { ...(payload.sender as object), ...rendered },
  };
  const delivery = await fake.sendWebhook("issue_comment", delivered);
  return { id, delivery, payload: delivered };
}

/** Registry tags in the fake: name → { commit, message } (annotated tags peeled once). */
export function registryTags(fake: FakeGitHub, fullName: string) {
  const repo = fake.state.repo(fullName);
  const out = new Map<string, { commit: string; message: string; annotated: boolean }>();
  for (const [ref, sha] of repo.refs) {
    if (!ref.startsWith("refs/tags/")) continue;
    const object = repo.objects.get(sha);
    if (object?.type === "tag") {
      const tag = parseTag(object.body);
      out.set(ref.slice(10), { commit: tag.object, message: tag.message, annotated: true });
    } else out.set(ref.slice(10), { commit: sha, message: "", annotated: false });
  }
  return out;
}

/** What the bot wrote, by operation (comments and reactions are replies, not changes). */
export function writesSince(fake: FakeGitHub, index: number): string[] {
  return fake.state.writes.slice(index).map((w) => w.operationId);
}

export function reactionsOn(fake: FakeGitHub, fullName: string, commentId: number): string[] {
  return fake.state
    .repo(fullName)
    .reactions.filter((r) => r.subject === "issue_comment" && r.subjectId === commentId)
    .map((r) => r.content);
}
