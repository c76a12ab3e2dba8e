import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../actions/promote/runner.js";
import { run as runPipelineAction } from "../../actions/run/runner.js";
import { parseLock, serializeLock } from "../../src/core/lock.js";
import { importFromGit } from "../../support/fake-github/index.js";
import { type ActionHarness, OWNER, REPO, startActionHarness } from "../helpers/action-harness.js";
import { copyExample, PROJECT_ROOT } from "../../support/copy-example.js";
import { git } from "../../support/git-origin.js";

const FULL = `${OWNER}/${REPO}`;
let h: ActionHarness;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);

const tags = () =>
  [...h.fake.state.repo(FULL).refs.keys()]
    .filter((ref) => ref.startsWith("refs/tags/"))
    .map((ref) => ref.slice("refs/tags/".length))
    .sort();
const as = (actor: string) => ({ GITHUB_ACTOR: actor });

beforeAll(async () => {
  h = await startActionHarness((dir) => copyExample("iris", dir));
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(h.workspace, "node_modules"), "dir");
  // The commit to register is one a real pipeline run produced (the run action commits it back).
  const trained = await runPipelineAction(h.env({}, { name: "push" }), fail);
  expect(trained.ok).toBe(true);
  await importFromGit(h.fake.state, FULL, h.origin.bare);
  const repo = h.fake.state.repo(FULL);
  repo.collaborators.set("octocat", "maintain"); // listed under approvers in the example
  repo.collaborators.set("mallory", "maintain"); // may maintain the repo, but is no approver
});
afterAll(() => h?.stop());

describe("promote action", () => {
  it("registers the next version on the commit and assigns the first stage", async () => {
    const result = await run(
      { ...h.env({ model: "iris", stage: "dev", message: "nightly" }), ...as("octocat") },
      fail,
    );
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    const { version, "version-tag": versionTag, "stage-tag": stageTag } = h.outputs();
    expect(version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(versionTag).toBe(`iris@${version}`);
    expect(stageTag).toBe("iris#dev#1");
    expect(tags()).toEqual([`iris#dev#1`, `iris@${version}`].sort());
    expect(h.summary()).toContain(`created tag <code>iris@${version}</code>`);
    expect(h.fake.failures).toEqual([]);
  });

  it("promotes the version already on this commit instead of registering another", async () => {
    const before = tags();
    const result = await run({ ...h.env({ model: "iris", stage: "staging" }), ...as("octocat") }, fail);
    expect(result.ok).toBe(true);
    expect(h.outputs()["stage-tag"]).toBe("iris#staging#2");
    // The example's staging has a deploy hook: the assignment queued a deployment, named by its id.
    const queued = [...h.fake.state.repo(`${OWNER}/${REPO}`).deployments.values()].at(-1);
    expect(queued?.payload).toMatchObject({ model: "iris", stage: "staging" });
    expect(h.outputs()["deployment-id"]).toBe(String(queued?.id));
    expect(tags()).toEqual([...before, "iris#staging#2"].sort());
  });

  it("refuses production to someone who is not an approver, and writes nothing", async () => {
    const before = tags();
    const result = await run({ ...h.env({ model: "iris", stage: "production" }), ...as("mallory") }, fail);
    expect(result.ok).toBe(false);
    expect(failures.at(-1)).toMatch(/promote: .*mallory/);
    expect(tags()).toEqual(before);
  });

  it("a dispatch from a branch that edits approvers and permissions cannot change who promotes", async () => {
    const version = tags()
      .find((t) => t.startsWith("iris@"))!
      .slice("iris@".length);
    const config = readFileSync(join(h.workspace, "trainyard.yaml"), "utf8");
    const edited = config.replace(
      "approvers: [octocat]",
      "approvers: [mallory]\n    permissions: { production: write }",
    );
    expect(edited).not.toBe(config);
    git(h.workspace, "checkout", "--quiet", "-b", "edit-policy");
    writeFileSync(join(h.workspace, "trainyard.yaml"), edited);
    git(h.workspace, "commit", "--quiet", "-am", "let mallory promote");
    git(h.workspace, "push", "--quiet", "origin", "edit-policy");
    await importFromGit(h.fake.state, FULL, h.origin.bare);
    const before = tags();
    const writes = h.fake.state.writes.length;
    try {
      const result = await run(
        { ...h.env({ model: "iris", stage: "production", version }), ...as("mallory") },
        fail,
      );
      expect(result.ok).toBe(false);
      expect(failures.at(-1)).toMatch(/mallory/);
      expect(tags()).toEqual(before);
      expect(h.fake.state.writes.slice(writes).map((w) => w.operationId)).toEqual([]);
    } finally {
      git(h.workspace, "checkout", "--quiet", "main");
    }
  });

  it("lets an approver promote a merged commit to production", async () => {
    const failed = failures.length;
    const result = await run({ ...h.env({ model: "iris", stage: "production" }), ...as("octocat") }, fail);
    expect(h.fake.failures).toEqual([]);
    expect(failures.slice(failed)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(h.outputs()["stage-tag"]).toBe("iris#production#3");
    expect(h.outputs()["deployment-id"]).toBe(""); // production has no deploy hook in the example
  });

  it("refuses to register a commit whose lock misses a stage", async () => {
    const lock = parseLock(readFileSync(join(h.workspace, "trainyard.lock"), "utf8"));
    delete lock.stages.evaluate;
    writeFileSync(join(h.workspace, "trainyard.lock"), serializeLock(lock));
    git(h.workspace, "commit", "--quiet", "-am", "half a run");
    git(h.workspace, "push", "--quiet", "origin", "main");
    await importFromGit(h.fake.state, FULL, h.origin.bare);
    const before = tags();
    const result = await run({ ...h.env({ model: "iris" }), ...as("octocat") }, fail);
    expect(result.ok).toBe(false);
    expect(failures.at(-1)).toMatch(
      /cannot register iris v\S+: the lock at \w+ is not clean \(stage evaluate has never run\)/,
    );
    expect(tags()).toEqual(before);
  });

  it("names the models it knows when asked for an unknown one", async () => {
    const result = await run(h.env({ model: "irs" }), fail);
    expect(result.ok).toBe(false);
    expect(failures.at(-1)).toMatch(/model "irs" is not under models: .*\(models: iris\)/);
  });
});
