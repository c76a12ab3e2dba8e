/**
 * One config loader, three readers: the working tree, a git revision and the GitHub contents API
 * must reject the same config with the same error. Each reader once had its own copy of the
 * loader and only the working tree's refused to read a params file outside the project.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TrainyardError, TrainyardErrors } from "../../src/core/errors.js";
import { createGitHubClient } from "../../src/github/client.js";
import { loadConfigAtRef } from "../../src/github/load-repo-config.js";
import { loadConfig } from "../../src/io/config/index.js";
import { loadConfigAt, resolveRevision } from "../../src/io/registry/index.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github/index.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";

const ESCAPING = "params: ../secret.yaml\nstages: {}\n";
// Not YAML: a loader that reads it fails on the syntax instead of on the path rule.
const SECRET = "token: [not closed\n";
const ONE_PROBLEM = "stages:\n  train:\n    cmd: node train.js\n    outz: [model.json]\n";

let fake: FakeGitHub;
let local: LocalRepo;
let sha: string;

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.state.createRepo({ owner: "acme", name: "iris" });
  fake.state.addToken("ghs_test", ["acme/iris"]);
  local = createLocalRepo({
    "trainyard.yaml": ESCAPING,
    "proj/trainyard.yaml": ESCAPING,
    "secret.yaml": SECRET,
    "one/trainyard.yaml": ONE_PROBLEM,
  });
  sha = local.commit("main", {});
  await local.publish(fake.state, "acme/iris");
}, 60_000);

afterAll(async () => {
  await fake?.stop();
  local?.cleanup();
});

async function failure(load: () => Promise<unknown>): Promise<TrainyardError> {
  const thrown = await load().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(TrainyardError);
  return thrown as TrainyardError;
}

const messages = (error: TrainyardError) =>
  error instanceof TrainyardErrors ? error.errors.map((e) => e.message) : [error.message];

describe("trainyard.yaml through every reader", () => {
  it("refuses a params path that leaves the project, without reading it, the same way everywhere", async () => {
    const project = join(local.dir, "proj");
    const api = createGitHubClient({ token: "ghs_test", baseUrl: fake.url });
    const worktree = await failure(() => loadConfig(project));
    const revision = await failure(async () => loadConfigAt(project, await resolveRevision(project, "HEAD")));
    const contents = await failure(() => loadConfigAtRef(api, { owner: "acme", repo: "iris", ref: sha }));

    expect(messages(worktree).join("\n")).toMatch(/key params.*"..\/secret.yaml" escapes the repository/);
    expect(messages(revision).map((m) => m.replace("@HEAD", ""))).toEqual(messages(worktree));
    expect(messages(contents)).toEqual(messages(worktree));
    const asked = fake.state.requests.filter((r) => r.operationId === "repos/get-content");
    expect(asked.map((r) => r.path)).not.toContainEqual(expect.stringContaining("secret"));
    expect(fake.failures).toEqual([]);
  });

  it("throws a single problem as itself, not wrapped in a list, from every reader", async () => {
    const project = join(local.dir, "one");
    const worktree = await failure(() => loadConfig(project));
    const revision = await failure(async () => loadConfigAt(project, await resolveRevision(project, "HEAD")));
    expect(worktree).not.toBeInstanceOf(TrainyardErrors);
    expect(revision).not.toBeInstanceOf(TrainyardErrors);
    expect(revision.message.replace("@HEAD", "")).toBe(worktree.message);
    expect(worktree.message).toMatch(/outz/);
  });
});

describe("the working tree reader", () => {
  it("treats a missing file as absent and names the folder", async () => {
    const empty = join(local.dir, "empty");
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, "params.yaml"), "a: 1\n");
    await expect(loadConfig(empty)).rejects.toThrow(/trainyard\.yaml not found in .*empty/);
  });
});
