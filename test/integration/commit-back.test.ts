import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commitBack, gitCredentialEnv } from "../../src/io/git/index.js";
import { createGitOrigin, type GitOrigin, git, isAncestor, refUpdates } from "../../support/git-origin.js";

// A lock with two stage entries far enough apart that git can merge edits to each without a conflict.
const LOCK = [
  "schema: 1",
  "stages:",
  "  a:",
  "    out: a0",
  "    cmd: node a.js",
  "    size: 1",
  "  b:",
  "    out: b0",
  "",
];

let origin: GitOrigin | undefined;
afterEach(() => origin?.cleanup());

const noDelay = () => 0;

describe("commitBack", () => {
  it("commits nothing when the run changed nothing", async () => {
    origin = createGitOrigin({ "trainyard.lock": LOCK.join("\n") });
    const work = origin.clone("work");
    const result = await commitBack({
      cwd: work,
      branch: "main",
      paths: ["trainyard.lock", "metrics.json"],
      message: "m",
    });
    expect(result).toEqual({ commit: undefined, attempts: 0, reruns: 0 });
    expect(refUpdates(origin.bare)).toHaveLength(0);
  });

  it("pushes with a token as well, without writing it into the repository's config", async () => {
    origin = createGitOrigin({ "metrics.json": "{}\n" });
    const work = origin.clone("work");
    writeFileSync(join(work, "metrics.json"), '{"a": 1}\n');
    const result = await commitBack({
      cwd: work,
      branch: "main",
      paths: ["metrics.json"],
      message: "m",
      token: "ghs_x",
    });
    expect(result.attempts).toBe(1);
    expect(git(work, "config", "--list")).not.toContain("ghs_x");
    expect(git(work, "config", "--list")).not.toContain("extraheader");
  });

  it("hands git the token through the credential helper in its environment", () => {
    origin = createGitOrigin({ "a.txt": "a\n" });
    const work = origin.clone("work");
    // A helper configured in the repository must not answer instead of ours.
    git(work, "config", "credential.helper", "!f() { echo password=stored-elsewhere; }; f");
    const answer = execFileSync("git", ["credential", "fill"], {
      cwd: work,
      input: "protocol=https\nhost=github.com\n\n",
      encoding: "utf8",
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...gitCredentialEnv("ghs_from_env") },
    });
    expect(answer).toContain("username=x-access-token");
    expect(answer).toContain("password=ghs_from_env");
    expect(answer).not.toContain("stored-elsewhere");
    // The credential protocol is line-based: a token cannot smuggle in fields of its own.
    expect(() => gitCredentialEnv("ghs_x\nhost=evil.example")).toThrow(/line break/);
  });

  it("lands both of two racing runs by rebasing the loser, without a force-push", async () => {
    origin = createGitOrigin({ "trainyard.lock": LOCK.join("\n") });
    const first = origin.clone("first");
    const second = origin.clone("second");
    writeFileSync(join(first, "trainyard.lock"), LOCK.join("\n").replace("out: a0", "out: a1"));
    writeFileSync(join(second, "trainyard.lock"), LOCK.join("\n").replace("out: b0", "out: b1"));
    writeFileSync(join(second, "metrics.json"), '{"accuracy": 0.93}\n');

    const results = await Promise.all(
      [first, second].map((cwd) =>
        commitBack({
          cwd,
          branch: "main",
          paths: ["trainyard.lock", "metrics.json"],
          message: `run ${cwd}`,
          delayMs: noDelay,
        }),
      ),
    );

    // One won the race outright; the other was rejected, replayed its commit and pushed again.
    expect(results.map((r) => r.attempts).sort()).toEqual([1, 2]);
    expect(results.every((r) => r.reruns === 0)).toBe(true);
    const check = origin.clone("check");
    const lock = readFileSync(join(check, "trainyard.lock"), "utf8");
    expect(lock).toContain("out: a1");
    expect(lock).toContain("out: b1");
    expect(readFileSync(join(check, "metrics.json"), "utf8")).toContain("0.93");
    const head = git(check, "rev-parse", "HEAD").trim();
    expect(results.map((r) => r.commit)).toContain(head);
    expectOnlyFastForwards(origin, check);
  });

  it("re-runs the affected stages on top of the other run when the lock itself conflicts", async () => {
    origin = createGitOrigin({ "trainyard.lock": LOCK.join("\n") });
    const clones = [origin.clone("first"), origin.clone("second")];
    // Both runs add a stage at the same place in the lock: the replay conflicts on trainyard.lock.
    const addStage = (cwd: string, stage: string) => {
      const text = readFileSync(join(cwd, "trainyard.lock"), "utf8");
      writeFileSync(join(cwd, "trainyard.lock"), `${text}  ${stage}:\n    out: ${stage}1\n`);
    };
    const conflicts: string[][] = [];
    const results = await Promise.all(
      clones.map((cwd, i) => {
        const stage = i === 0 ? "c" : "d";
        addStage(cwd, stage);
        return commitBack({
          cwd,
          branch: "main",
          paths: ["trainyard.lock"],
          message: `add ${stage}`,
          delayMs: noDelay,
          // "Re-running" the stage on the new commit records it in that commit's lock.
          rerun: async (conflicted) => {
            conflicts.push([...conflicted]);
            expect(readFileSync(join(cwd, "trainyard.lock"), "utf8")).not.toContain(`  ${stage}:\n`);
            addStage(cwd, stage);
          },
        });
      }),
    );

    expect(conflicts).toEqual([["trainyard.lock"]]);
    expect(results.map((r) => r.reruns).sort()).toEqual([0, 1]);
    const check = origin.clone("check");
    const lock = readFileSync(join(check, "trainyard.lock"), "utf8");
    expect(lock).toContain("out: c1");
    expect(lock).toContain("out: d1");
    expect(lock).not.toMatch(/<<<<<<<|>>>>>>>/);
    expectOnlyFastForwards(origin, check);
  });

  it("pushes nothing when another run already committed exactly the same results", async () => {
    origin = createGitOrigin({ "metrics.json": "{}\n" });
    const first = origin.clone("first");
    const second = origin.clone("second");
    for (const dir of [first, second]) writeFileSync(join(dir, "metrics.json"), '{"accuracy": 0.9}\n');
    const landed = await commitBack({
      cwd: first,
      branch: "main",
      paths: ["metrics.json"],
      message: "first",
    });
    const same = await commitBack({
      cwd: second,
      branch: "main",
      paths: ["metrics.json"],
      message: "second",
      delayMs: noDelay,
    });
    expect(same).toEqual({ commit: undefined, attempts: 1, reruns: 0 });
    expect(git(second, "rev-parse", "HEAD").trim()).toBe(landed.commit);
    expect(refUpdates(origin.bare)).toHaveLength(1);
  });

  it("fails with advice instead of picking a side when there is no way to re-run", async () => {
    origin = createGitOrigin({ "metrics.json": '{"accuracy": 0.9}\n' });
    const first = origin.clone("first");
    const second = origin.clone("second");
    writeFileSync(join(first, "metrics.json"), '{"accuracy": 0.91}\n');
    writeFileSync(join(second, "metrics.json"), '{"accuracy": 0.95}\n');
    await commitBack({ cwd: first, branch: "main", paths: ["metrics.json"], message: "first" });
    await expect(
      commitBack({
        cwd: second,
        branch: "main",
        paths: ["metrics.json"],
        message: "second",
        delayMs: noDelay,
      }),
    ).rejects.toThrow(/another run changed metrics\.json on main/);
    const check = origin.clone("check");
    expect(readFileSync(join(check, "metrics.json"), "utf8")).toContain("0.91");
    // The losing clone is left clean on its own commit, not mid-rebase.
    expect(git(second, "status", "--porcelain")).toBe("");
  });

  it("gives up after the attempt bound", async () => {
    origin = createGitOrigin({ "metrics.json": "{}\n" });
    const work = origin.clone("work");
    const other = origin.clone("other");
    writeFileSync(join(work, "metrics.json"), '{"a": 1}\n');
    let pushes = 0;
    // Every re-run sees the other clone push first again, so this run can never land.
    const result = commitBack({
      cwd: work,
      branch: "main",
      paths: ["metrics.json"],
      message: "work",
      maxAttempts: 3,
      delayMs: (attempt) => {
        writeFileSync(join(other, "metrics.json"), `{"b": ${++pushes}}\n`);
        git(other, "commit", "--quiet", "-am", `other ${pushes}`);
        git(other, "push", "--quiet", "origin", "main");
        return 0 * attempt;
      },
      rerun: async () => writeFileSync(join(work, "metrics.json"), '{"a": 1}\n'),
    });
    writeFileSync(join(other, "metrics.json"), '{"b": 0}\n');
    git(other, "commit", "--quiet", "-am", "other 0");
    git(other, "push", "--quiet", "origin", "main");
    await expect(result).rejects.toThrow(/after 3 attempts/);
  });
});

function expectOnlyFastForwards(origin: GitOrigin, clone: string): void {
  const updates = refUpdates(origin.bare);
  expect(updates.length).toBeGreaterThanOrEqual(2);
  for (const { from, to } of updates) expect(isAncestor(clone, from, to)).toBe(true);
}
