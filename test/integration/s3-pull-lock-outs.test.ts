/**
 * `trainyard pull` on a fresh clone brings back the stage outs recorded in trainyard.lock (the model,
 * prepared data) from the S3 remote, not only pointer data — without running any stage — and
 * leaves an out the user changed alone unless `--force`.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeS3Project, runCli } from "../helpers/s3-project.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

const BUCKET = "pull-outs";
const MAKE = `const fs = require("node:fs");
if (fs.existsSync("FAIL_ALL")) process.exit(9);
fs.mkdirSync("out/parts", { recursive: true });
fs.writeFileSync("out/model.bin", "m".repeat(5000));
fs.writeFileSync("out/parts/a.txt", "part a\\n");
`;

describe("pull restores lock outs", () => {
  let server: S3TestServer;
  let origin: string;
  let clone: string;

  async function cli(cwd: string, ...args: string[]) {
    const run = await runCli(cwd, args, server.env);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  }

  beforeAll(async () => {
    server = await startS3Server([BUCKET]);
    origin = await makeS3Project(server, BUCKET, "p");
    appendFileSync(
      join(origin, "trainyard.yaml"),
      "stages:\n  make:\n    cmd: node make.cjs\n    deps: [make.cjs]\n    outs: [out]\n",
    );
    writeFileSync(join(origin, "make.cjs"), MAKE);
    await cli(origin, "run");
    await cli(origin, "push", "--remote", "team");
    execFileSync("git", ["add", "-A"], { cwd: origin });
    execFileSync("git", ["commit", "-qm", "trained"], { cwd: origin });
    clone = join(mkdtempSync(join(tmpdir(), "ty-pull-outs-")), "clone");
    execFileSync("git", ["clone", "-q", origin, clone]);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    for (const dir of [origin, clone && join(clone, "..")])
      if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("brings the outs back byte for byte, and the pipeline is then up to date without running", async () => {
    writeFileSync(join(clone, "FAIL_ALL"), "any stage that runs fails\n");
    const out = await cli(clone, "pull", "--remote", "team");
    expect(out).toMatch(/restored 1 stage out\(s\) from trainyard\.lock/);
    expect(readFileSync(join(clone, "out", "model.bin"), "utf8")).toBe("m".repeat(5000));
    expect(readFileSync(join(clone, "out", "parts", "a.txt"), "utf8")).toBe("part a\n");
    const status = JSON.parse(await cli(clone, "status", "--json")) as {
      stages: { stage: string; state: string }[];
    };
    expect(status.stages.map((s) => [s.stage, s.state])).toEqual([["make", "up-to-date"]]);
  });

  it("leaves an out the user changed alone, and restores it with --force", async () => {
    writeFileSync(join(clone, "out", "model.bin"), "mine");
    await cli(clone, "pull", "--remote", "team");
    expect(readFileSync(join(clone, "out", "model.bin"), "utf8")).toBe("mine");
    await cli(clone, "pull", "--remote", "team", "--force");
    expect(readFileSync(join(clone, "out", "model.bin"), "utf8")).toBe("m".repeat(5000));
  });
});
