import { createHash } from "node:crypto";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../actions/report/runner.js";
import { importFromGit } from "../../support/fake-github/index.js";
import { type ActionHarness, OWNER, REPO, startActionHarness } from "../helpers/action-harness.js";
import { copyExample, PROJECT_ROOT } from "../../support/copy-example.js";
import { parseLock, serializeLock } from "../../src/core/lock.js";
import { git } from "../../support/git-origin.js";
import { runCli } from "../helpers/temp-repo.js";

const FULL = `${OWNER}/${REPO}`;
let h: ActionHarness;
let pullNumber: number | undefined;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);

/**
 * Commits metrics and the lock entry recording them on the PR branch and pushes it to the origin,
 * as the run action's commit-back of a run that measured `accuracy` does (the gates only judge
 * metrics whose hash is the one trainyard.lock records).
 */
async function pushMetrics(accuracy: number) {
  const text = `${JSON.stringify({ accuracy, f1_macro: accuracy })}\n`;
  writeFileSync(join(h.workspace, "metrics.json"), text);
  const lockPath = join(h.workspace, "trainyard.lock");
  const lock = parseLock(readFileSync(lockPath, "utf8"));
  const evaluate = lock.stages.evaluate!;
  const hash = `sha256:${createHash("sha256").update(text).digest("hex")}`;
  evaluate.metrics = [{ path: "metrics.json", hash, size: Buffer.byteLength(text) }];
  writeFileSync(lockPath, serializeLock(lock));
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
  // The pipeline ran on main: its lock is committed with the outputs it recorded.
  const modules = join(h.workspace, "node_modules");
  if (!existsSync(modules)) symlinkSync(join(PROJECT_ROOT, "node_modules"), modules, "dir");
  const ran = await runCli(["run"], { cwd: h.workspace });
  if (ran.code !== 0) throw new Error(`trainyard run failed: ${ran.stderr}`);
  git(h.workspace, "add", "-A");
  git(h.workspace, "commit", "--quiet", "-m", "run the pipeline");
  git(h.workspace, "push", "--quiet", "origin", "HEAD");
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
