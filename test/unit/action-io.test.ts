import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  appendJobSummary,
  parseActionOutputs,
  readActionContext,
  writeActionOutputs,
} from "../../src/io/action/index.js";
import { escapeCommandData, runAction } from "../../src/io/action/run-action.js";
import { TrainyardError } from "../../src/core/errors.js";

let dir: string | undefined;
const temp = () => (dir = mkdtempSync(join(tmpdir(), "ty-action-io-")));
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files", () => {
  it("round-trips any output value, newlines and delimiters-lookalikes included", async () => {
    const file = join(temp(), "output");
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,15}$/), fc.string()),
        async (outputs) => {
          writeFileSync(file, "");
          await writeActionOutputs({ GITHUB_OUTPUT: file }, outputs);
          expect(parseActionOutputs(readFileSync(file, "utf8"))).toEqual(outputs);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("appends Markdown to the job summary, one block per call", async () => {
    const file = join(temp(), "summary");
    await appendJobSummary({ GITHUB_STEP_SUMMARY: file }, "## one");
    await appendJobSummary({ GITHUB_STEP_SUMMARY: file }, "two\n");
    expect(readFileSync(file, "utf8")).toBe("## one\ntwo\n");
  });
});

describe("readActionContext", () => {
  it("reads the repository, the event payload and the branch a pull request's run should land on", async () => {
    const event = join(temp(), "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { ref: "tune" } } }));
    const context = await readActionContext({
      GITHUB_REPOSITORY: "acme/iris",
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: event,
      GITHUB_REF: "refs/pull/7/merge",
      GITHUB_RUN_ID: "42",
      GITHUB_ACTOR: "dependabot[bot]",
    });
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
    await expect(readActionContext({ GITHUB_REPOSITORY: "iris" })).rejects.toThrow(/must be "owner\/repo"/);
  });
});

describe("runAction", () => {
  it("turns a user error into one escaped annotation and an internal one into a bug report", async () => {
    const messages: string[] = [];
    const user = await runAction(
      "x",
      {},
      (m) => messages.push(m),
      async () => {
        throw new TrainyardError("usage", "first line\nsecond line");
      },
    );
    const bug = await runAction(
      "x",
      {},
      (m) => messages.push(m),
      async () => {
        throw new RangeError("oops");
      },
    );
    expect(user.ok).toBe(false);
    expect(bug.ok).toBe(false);
    expect(messages[0]).toBe("x: first line\nsecond line");
    expect(messages[1]).toMatch(/^x: internal error \(please report it\): RangeError: oops/);
    expect(escapeCommandData("50%\r\nok")).toBe("50%25%0D%0Aok");
  });
});
