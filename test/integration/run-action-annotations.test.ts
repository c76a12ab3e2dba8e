/**
 * A mistake in trainyard.yaml fails the run action with an annotation on the file and line, so
 * GitHub shows it on the pull request's diff, also when the project sits in a working-directory.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../actions/run/runner.js";
import { failStep } from "../../src/io/action/index.js";
import { type ActionHarness, startActionHarness } from "../helpers/action-harness.js";

let h: ActionHarness;

beforeAll(async () => {
  h = await startActionHarness({
    "project/trainyard.yaml": ["stages:", "  train:", "    cmd: echo hi", "    outz: [model.bin]", ""].join(
      "\n",
    ),
  });
});
afterAll(() => h?.stop());

describe("run action annotations", () => {
  it("puts a config error on its file, line and column, relative to the workspace", async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exitCode = process.exitCode;
    try {
      const result = await run(h.env({ "working-directory": "project", "commit-back": "false" }), failStep);
      expect(result.ok).toBe(false);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = exitCode;
      vi.mocked(process.stdout.write).mockRestore();
    }
    const error = written
      .join("")
      .split("\n")
      .find((line) => line.startsWith("::error "));
    expect(error).toMatch(
      /^::error title=Trainyard%3A config error,file=project\/trainyard\.yaml,line=4,col=11::/,
    );
    expect(error).toContain('unknown key "outz"; did you mean "outs"?');
  });
});
