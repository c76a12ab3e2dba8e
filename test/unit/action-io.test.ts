import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TrainyardError, TrainyardErrors } from "../../src/core/errors.js";
import {
  failStep,
  newJobSummary,
  parseStepOutputs,
  readActionContext,
  resolveWorkingDirectory,
  runAction,
  withStepEnvironment,
} from "../../src/io/action/index.js";

let dir: string | undefined;
const temp = () => (dir = mkdtempSync(join(tmpdir(), "ty-action-io-")));
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe("step outputs and job summary (through @actions/core)", () => {
  it("round-trips any output value, newlines and delimiter look-alikes included", async () => {
    const file = join(temp(), "output");
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,15}$/), fc.string()),
        async (outputs) => {
          writeFileSync(file, "");
          const result = await runAction(
            "x",
            { GITHUB_OUTPUT: file },
            () => {},
            async () => outputs,
          );
          expect(result.ok).toBe(true);
          expect(parseStepOutputs(readFileSync(file, "utf8"))).toEqual(outputs);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("writes each step's summary to that step's file", async () => {
    const [one, two] = [join(temp(), "one"), join(dir!, "two")];
    for (const file of [one, two]) writeFileSync(file, "");
    await withStepEnvironment({ GITHUB_STEP_SUMMARY: one }, () =>
      newJobSummary().addRaw("## one", true).write(),
    );
    await withStepEnvironment({ GITHUB_STEP_SUMMARY: two }, () =>
      newJobSummary().addRaw("two", true).write(),
    );
    expect(readFileSync(one, "utf8")).toBe("## one\n");
    expect(readFileSync(two, "utf8")).toBe("two\n");
  });

  it("gives a step only its own environment and restores the process's afterwards", async () => {
    vi.stubEnv("INPUT_LEFTOVER", "from another step");
    const seen = await withStepEnvironment({ INPUT_MINE: "1" }, async () => ({ ...process.env }));
    expect(seen.INPUT_MINE).toBe("1");
    expect(seen.INPUT_LEFTOVER).toBeUndefined();
    expect(seen.PATH).toBe(process.env.PATH);
    expect(process.env.INPUT_MINE).toBeUndefined();
    expect(process.env.INPUT_LEFTOVER).toBe("from another step");
    vi.unstubAllEnvs();
  });
});

describe("readActionContext", () => {
  it("reads the repository, the event payload and the branch a pull request's run should land on", async () => {
    const event = join(temp(), "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { ref: "tune" } } }));
    const context = await withStepEnvironment(
      {
        GITHUB_REPOSITORY: "acme/iris",
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: event,
        GITHUB_REF: "refs/pull/7/merge",
        GITHUB_RUN_ID: "42",
        GITHUB_ACTOR: "dependabot[bot]",
      },
      async () => readActionContext(),
    );
    expect(context).toMatchObject({
      owner: "acme",
      repo: "iris",
      branch: "tune",
      runUrl: "https://github.com/acme/iris/actions/runs/42",
      actor: { login: "dependabot[bot]", type: "Bot" },
    });
    expect(context.payload).toHaveProperty("pull_request.number", 7);
  });

  it("refuses a malformed GITHUB_REPOSITORY", async () => {
    await expect(
      withStepEnvironment({ GITHUB_REPOSITORY: "iris" }, async () => readActionContext()),
    ).rejects.toThrow(/must be "owner\/repo"/);
  });
});

describe("runAction", () => {
  it("annotates user errors at their file, line and column and flags internal ones as bugs", async () => {
    const failed: { message: string; file?: string | undefined; line?: number | undefined }[] = [];
    const fail = (message: string, at?: { file?: string; startLine?: number }) =>
      failed.push({ message, file: at?.file, line: at?.startLine });
    await runAction("x", {}, fail, async (frame) => {
      frame.sourceRoot = "project";
      throw new TrainyardErrors("config", [
        new TrainyardError("config", "unknown key", { file: "trainyard.yaml", line: 3, column: 5 }),
        new TrainyardError("pointer", "bad oid", { file: "data/raw.csv.ty@0123456789ab", line: 2 }),
      ]);
    });
    await runAction("x", {}, fail, async () => {
      throw new RangeError("oops");
    });
    expect(failed[0]).toEqual({
      message: "x: trainyard.yaml:3:5: unknown key",
      file: "project/trainyard.yaml",
      line: 3,
    });
    expect(failed[1]).toMatchObject({ file: "project/data/raw.csv.ty", line: 2 });
    expect(failed[2]?.message).toMatch(/^x: internal error \(please report it\): RangeError: oops/);
    expect(failed[2]?.file).toBeUndefined();
  });

  it("fails the step with an ::error:: command GitHub places on the file's line", async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exitCode = process.exitCode;
    try {
      await runAction("x", {}, failStep, async () => {
        throw new TrainyardError("config", "50% wrong\nsee docs", {
          file: "trainyard.yaml",
          line: 3,
          column: 5,
        });
      });
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = exitCode;
      vi.mocked(process.stdout.write).mockRestore();
    }
    expect(written.join("")).toContain(
      "::error title=Trainyard%3A config error,file=trainyard.yaml,line=3,col=5::x: trainyard.yaml:3:5: 50%25 wrong%0Asee docs",
    );
  });
});

describe("resolveWorkingDirectory", () => {
  it("accepts folders inside the workspace and refuses .., absolute and symlinked escapes", () => {
    const root = temp();
    const workspace = join(root, "ws");
    mkdirSync(join(workspace, "sub"), { recursive: true });
    mkdirSync(join(root, "outside"));
    symlinkSync(join(root, "outside"), join(workspace, "out"));
    symlinkSync(join(workspace, "sub"), join(workspace, "in"));
    expect(resolveWorkingDirectory(workspace, "sub").relative).toBe("sub");
    expect(resolveWorkingDirectory(workspace, "in").relative).toBe("sub");
    expect(resolveWorkingDirectory(workspace, ".").relative).toBe("");
    for (const bad of ["..", "../outside", join(root, "outside"), "out", "out/.", "sub/../../outside"]) {
      expect(() => resolveWorkingDirectory(workspace, bad), bad).toThrow(/outside the workspace/);
    }
  });
});
