import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../actions/report/runner.js";
import { importFromGit } from "../fake-github/index.js";
import { type ActionHarness, OWNER, REPO, startActionHarness } from "../helpers/action-harness.js";
import { copyExample } from "../helpers/copy-example.js";
import { git } from "../helpers/git-origin.js";

const FULL = `${OWNER}/${REPO}`;
let h: ActionHarness;
let pullNumber: number | undefined;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);

/** Commits metrics on the PR branch and pushes it to the origin, as the run action's commit-back does. */
async function pushMetrics(accuracy: number) {
  writeFileSync(join(h.workspace, "metrics.json"), `${JSON.stringify({ accuracy, f1_macro: accuracy })}\n`);
  git(h.workspace, "commit", "--quiet", "-am", `accuracy ${accuracy}`);
  git(h.workspace, "push", "--quiet", "origin", "tune");
  await importFromGit(h.fake.state, FULL, h.origin.bare);
  if (pullNumber !== undefined) h.fake.state.syncPull(FULL, pullNumber);
}

beforeAll(async () => {
  h = await startActionHarness((dir) => {
    copyExample("iris", dir);
    writeFileSync(join(dir, "metrics.json"), '{"accuracy": 0.977778, "f1_macro": 0.977753}\n');
  });
  git(h.workspace, "checkout", "--quiet", "-b", "tune");
  await pushMetrics(0.93);
  pullNumber = h.fake.state.createPull(FULL, { head: "tune", title: "Fewer trees" }).number;
});
afterAll(() => h?.stop());

const event = () => ({
  name: "pull_request",
  patch: (payload: Record<string, unknown>) => {
    (payload.pull_request as { number: number }).number = pullNumber!;
  },
});
const comments = () => h.fake.state.commentsOn(FULL, pullNumber!);
const checkRuns = () => [...h.fake.state.repo(FULL).checkRuns.values()];

describe("report action", () => {
  it("posts the sticky comment and a failing check run when a gate fails", async () => {
    const result = await run(h.env({}, event()), fail);
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(h.outputs().conclusion).toBe("failure");
    expect(JSON.parse(h.outputs().models!)).toEqual([
      expect.objectContaining({ model: "iris", conclusion: "failure" }),
    ]);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain("accuracy");
    expect(checkRuns()).toEqual([expect.objectContaining({ conclusion: "failure" })]);
    expect(h.summary()).toContain("❌ `iris`: failure");
    expect(h.fake.failures).toEqual([]);
  });

  it("updates the same comment, never a second one, after a fixing push", async () => {
    await pushMetrics(0.98);
    const result = await run(h.env({}, event()), fail);
    expect(result.ok).toBe(true);
    expect(h.outputs().conclusion).toBe("success");
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toContain("0.98");
    const head = git(h.workspace, "rev-parse", "HEAD").trim();
    expect(checkRuns().filter((c) => c.headSha === head)).toEqual([
      expect.objectContaining({ conclusion: "success" }),
    ]);
  });

  it("fails the step on a failing gate only when asked to, and still writes its outputs", async () => {
    await pushMetrics(0.5);
    const result = await run(h.env({ "fail-on-gate": "true" }, event()), fail);
    expect(result.ok).toBe(false);
    expect(failures.at(-1)).toMatch(/report: a gate failed on pull request #\d+/);
    expect(h.outputs().conclusion).toBe("failure");
  });

  it("needs a pull request number outside pull_request events", async () => {
    const result = await run(h.env({}, { name: "push" }), fail);
    expect(result.ok).toBe(false);
    expect(failures.at(-1)).toMatch(
      /triggered by "push", which has no pull request: set the "pull-request" input/,
    );
    const byNumber = await run(h.env({ "pull-request": String(pullNumber) }, { name: "push" }), fail);
    expect(byNumber.ok).toBe(true);
  });
});
