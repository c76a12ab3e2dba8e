/**
 * The run action's credentials, seen from where an attacker's code would sit: a stage command (it
 * runs the repository's code), the process list (git's argv), the job log, and a
 * `working-directory` that points outside the checkout. The step's environment is the process
 * environment here, as on a runner.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../actions/run/runner.js";
import { type ActionHarness, startActionHarness, TOKEN } from "../helpers/action-harness.js";
import { git } from "../../support/git-origin.js";

const SECRETS = {
  GITHUB_TOKEN: "ghs_jobtoken0001",
  ACTIONS_RUNTIME_TOKEN: "runtime-token-0002",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: "oidc-token-0003",
  AWS_SECRET_ACCESS_KEY: "aws-secret-0004",
};

const CONFIG = [
  "stages:",
  "  dump:",
  "    cmd: env > dump-env.txt",
  "    outs: [dump-env.txt]",
  "  cloud:",
  "    cmd: env > cloud-env.txt",
  "    outs: [cloud-env.txt]",
  "    env_passthrough: [AWS_SECRET_ACCESS_KEY]",
  "",
].join("\n");

let h: ActionHarness;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);

beforeAll(async () => {
  h = await startActionHarness({ "trainyard.yaml": CONFIG, "README.md": "x\n" });
});
afterAll(() => h?.stop());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  failures.length = 0;
});

/** Makes `env` the process environment of this step, as the runner does, and runs the action. */
function runAsStep(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return run(process.env, fail);
}

describe("run action credentials", () => {
  it("withholds the token input, the job and runner tokens and cloud keys from stage commands unless a stage opts in", async () => {
    const result = await runAsStep({ ...h.env({ "commit-back": "false", push: "false" }), ...SECRETS });
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    const dump = readFileSync(join(h.workspace, "dump-env.txt"), "utf8");
    for (const secret of [TOKEN, ...Object.values(SECRETS)]) expect(dump).not.toContain(secret);
    expect(dump).not.toMatch(/^INPUT_/m);
    expect(dump).toMatch(/^TRAINYARD_STAGE=dump$/m);
    // The stage that names AWS_SECRET_ACCESS_KEY gets that one and nothing else held back.
    const cloud = readFileSync(join(h.workspace, "cloud-env.txt"), "utf8");
    expect(cloud).toContain(`AWS_SECRET_ACCESS_KEY=${SECRETS.AWS_SECRET_ACCESS_KEY}`);
    expect(cloud).not.toContain(TOKEN);
    expect(cloud).not.toContain(SECRETS.GITHUB_TOKEN);
  });

  it("masks the commit-back token and never puts it on git's command line", async () => {
    // A `git` first on PATH that records its arguments, then runs the real git.
    const bin = join(h.origin.root, "bin");
    const argvLog = join(h.origin.root, "git-argv.log");
    mkdirSync(bin, { recursive: true });
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(
      join(bin, "git"),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> "${argvLog}"\nexec "${realGit}" "$@"\n`,
    );
    chmodSync(join(bin, "git"), 0o755);
    writeFileSync(argvLog, "");
    const logged: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    git(h.workspace, "rm", "--quiet", "--cached", "--ignore-unmatch", "dump-env.txt");
    const result = await runAsStep({
      ...h.env({ push: "false", "commit-back": "true" }),
      PATH: `${bin}:${process.env.PATH}`,
    });
    vi.mocked(process.stdout.write).mockRestore();
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(h.outputs().commit).toMatch(/^[0-9a-f]{40}$/);
    const argv = readFileSync(argvLog, "utf8");
    expect(argv).toContain("push");
    expect(argv).not.toContain(TOKEN);
    expect(argv).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString("base64"));
    // The runner hides every later occurrence of a masked value in the job log.
    expect(logged.join("")).toContain(`::add-mask::${TOKEN}`);
  });

  it("refuses a working-directory outside the workspace: .., absolute, or through a symlink", async () => {
    const outside = h.origin.clone("outside");
    symlinkSync(outside, join(h.workspace, "escape"));
    for (const dir of ["../outside", outside, "escape", "escape/."]) {
      const result = await runAsStep(
        h.env({ "working-directory": dir, "commit-back": "false", push: "false" }),
      );
      expect(result.ok, dir).toBe(false);
      expect(failures.pop(), dir).toMatch(/working-directory .* is outside the workspace/);
    }
    // A real folder inside stays allowed.
    const result = await runAsStep(
      h.env({ "working-directory": ".", "commit-back": "false", push: "false" }),
    );
    expect(result.ok).toBe(true);
  });
});
