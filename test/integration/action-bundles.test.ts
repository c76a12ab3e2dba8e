/**
 * The committed bundles themselves, started the way GitHub starts them (`node dist/index.js`): each
 * loads, reads its inputs and reports a user error as a failed step with an annotation.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../support/copy-example.js";

const RENAMED = { run: "COMMIT", report: "PR-NUMBER", promote: "ENVIRONMENT", monitor: "RETRAIN" } as const;

describe.each(Object.entries(RENAMED))("actions/%s/dist/index.js", (name, old) => {
  it("runs under node and fails the step with a migration hint for a renamed input", () => {
    const child = spawnSync(process.execPath, [join(PROJECT_ROOT, "actions", name, "dist", "index.js")], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        [`INPUT_${old}`]: "x",
        INPUT_TOKEN: "t",
        GITHUB_REPOSITORY: "acme/iris",
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(1);
    expect(child.stdout).toMatch(
      new RegExp(`^::error::${name}: input "${old.toLowerCase()}" is no longer supported; use "`, "m"),
    );
  });
});
