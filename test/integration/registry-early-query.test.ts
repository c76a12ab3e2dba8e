/**
 * A registry read starts its `git for-each-ref` before the command's modules load (main →
 * startEarlyQueries). Whatever git answers, the command must print exactly what it prints when it
 * starts git itself (runProgram), failures included, and run one for-each-ref, not two. Git is
 * the real one, behind a logging wrapper on PATH that counts the processes.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registryReadFolder } from "../../src/cli/early-queries.js";
import { runProgram } from "../../src/cli/main.js";
import { formatTagMessage } from "../../src/core/registry/index.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const LOG_VARIABLE = "TRAINYARD_TEST_GIT_LOG";

describe("registry reads with their git query started early", () => {
  let repo: TempRepo;
  let scratch: TempRepo;
  let wrapperDir = "";
  let log = "";
  const savedPath = process.env.PATH;

  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-early-" });
    repo.git(["commit", "-q", "--allow-empty", "-m", "first"]);
    const tag = (name: string, message: string) => repo.git(["tag", "-a", "-m", message, name]);
    tag(
      "iris@v1.0.0",
      formatTagMessage({ summary: "Register iris v1.0.0", actor: "alice", metrics: { acc: 0.9 } }),
    );
    tag("iris#dev#1", formatTagMessage({ summary: "Promote iris v1.0.0 to dev", actor: "alice" }));
    tag("iris#production#2", formatTagMessage({ summary: "Promote iris v1.0.0 to production" }));
    tag("wine@v0.1.0", formatTagMessage({ summary: "Register wine v0.1.0", type: "dataset" }));
    tag("release-1", "not a registry tag");
    // Lightweight but registry-shaped: skipped with a warning on stderr, which must match too.
    repo.git(["tag", "broken@v2.0.0"]);

    scratch = makeTempRepo({ git: false, prefix: "trainyard-early-scratch-" });
    wrapperDir = join(scratch.dir, "bin");
    log = join(scratch.dir, "git.log");
    mkdirSync(wrapperDir);
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(
      join(wrapperDir, "git"),
      `#!/bin/sh\nprintf '%s\\n' "$1" >> "$${LOG_VARIABLE}"\nexec "${realGit}" "$@"\n`,
    );
    chmodSync(join(wrapperDir, "git"), 0o755);
    process.env.PATH = `${wrapperDir}:${savedPath}`;
    process.env[LOG_VARIABLE] = log;
  });
  afterEach(() => {
    process.env.PATH = `${wrapperDir}:${savedPath}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    delete process.env[LOG_VARIABLE];
    repo.cleanup();
    scratch.cleanup();
  });

  /** The command's result through `entry`, and how many `git for-each-ref` processes it started. */
  async function observe(args: readonly string[], cwd: string, entry?: typeof runProgram) {
    rmSync(log, { force: true });
    const { code, stdout, stderr } = await runCli(args, { cwd, ...(entry ? { entry } : {}) });
    const started = readFileSync(log, { encoding: "utf8", flag: "a+" }).split("\n");
    return {
      result: { code, stdout, stderr },
      forEachRefs: started.filter((c) => c === "for-each-ref").length,
    };
  }

  it.each([
    [["registry", "show", "--json"]],
    [["registry", "show"]],
    [["registry", "show", "iris"]],
    [["registry", "history", "iris", "--json"]],
    [["registry", "which", "iris#production"]],
  ])("%j prints what the on-demand query prints, from one for-each-ref", async (args) => {
    const early = await observe(args, repo.dir);
    const onDemand = await observe(args, repo.dir, runProgram);
    expect(early.result.code, early.result.stderr).toBe(0);
    expect(early.result.stderr).toContain("broken@v2.0.0");
    expect(early.result).toEqual(onDemand.result);
    expect(early.forEachRefs).toBe(1);
    expect(onDemand.forEachRefs).toBe(1);
  });

  it("a failing early query fails the command the same way (a project folder outside any git repository)", async () => {
    const project = makeTempRepo({ git: false, prefix: "trainyard-early-nogit-" });
    try {
      writeFileSync(join(project.dir, "trainyard.yaml"), "stages: {}\n");
      for (const args of [
        ["registry", "show"],
        ["registry", "show", "--json"],
      ]) {
        const early = await observe(args, project.dir);
        const onDemand = await observe(args, project.dir, runProgram);
        expect(early.result.code).toBe(1);
        expect(early.result.stdout + early.result.stderr).toMatch(/cannot list tags: .*not a git repository/);
        expect(early.result).toEqual(onDemand.result);
        // The failure came from the early git process: the command started no second one.
        expect(early.forEachRefs).toBe(1);
      }
    } finally {
      project.cleanup();
    }
  });

  it("git missing from PATH fails the command the same way", async () => {
    process.env.PATH = join(scratch.dir, "no-such-folder");
    const early = await observe(["registry", "show"], repo.dir);
    const onDemand = await observe(["registry", "show"], repo.dir, runProgram);
    expect(early.result).toEqual({
      code: 1,
      stdout: "",
      stderr: expect.stringMatching(/^trainyard: cannot run git for-each-ref: spawn git ENOENT\n$/),
    });
    expect(early.result).toEqual(onDemand.result);
  });

  it("outside any project or repository nothing starts early, and the error is unchanged", async () => {
    const plain = makeTempRepo({ git: false, prefix: "trainyard-early-plain-" });
    try {
      const early = await observe(["registry", "show"], plain.dir);
      const onDemand = await observe(["registry", "show"], plain.dir, runProgram);
      expect(early.result.code).toBe(1);
      expect(early.result.stderr).toContain("is not inside a Trainyard project or git repository");
      expect(early.result).toEqual(onDemand.result);
      expect(early.forEachRefs).toBe(0);
    } finally {
      plain.cleanup();
    }
  });

  it("a command that ends before reading the tags leaves no early query behind", async () => {
    const early = await observe(["registry", "show", "--no-such-option"], repo.dir);
    const onDemand = await observe(["registry", "show", "--no-such-option"], repo.dir, runProgram);
    expect(early.result.code).not.toBe(0);
    expect(early.result).toEqual(onDemand.result);
    // The early query is killed when main returns; the next command starts its own and reads it.
    const next = await observe(["registry", "show", "--json"], repo.dir);
    expect(next.result.code).toBe(0);
    expect(next.forEachRefs).toBe(1);
  });

  it("only local registry reads in the plain spelling start early", () => {
    const argv = (...args: string[]) => ["node", "trainyard", ...args];
    expect(registryReadFolder(argv("-C", "/r", "registry", "show", "--json"))).toBe("/r");
    expect(registryReadFolder(argv("--cwd", "/r", "-C", "/s", "registry", "history", "iris"))).toBe("/s");
    expect(registryReadFolder(argv("registry", "which", "iris#prod"))).toBe(process.cwd());
    for (const other of [
      argv("registry", "which", "iris#prod", "--repo", "https://example.test/r.git"),
      argv("registry", "which", "--repo=../r", "iris#prod"),
      argv("registry", "show", "--help"),
      argv("registry", "register", "iris"),
      argv("--cwd=/r", "registry", "show"),
      argv("status"),
      argv("-C"),
      argv(),
    ]) {
      expect(registryReadFolder(other)).toBeUndefined();
    }
  });
});
