/**
 * The run cache travels through the S3 remote: two independent clones, each with its own empty
 * local store, share one bucket on a real moto server. Clone A trains P1 then P2 and pushes; clone
 * B (fresh, `pull` only) reverts the params to P1 and `run` restores both stages without running
 * either (the stage script fails if it is ever executed) and says where each result came from.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE, parseLock } from "../../src/core/lock.js";
import { git, type GitOrigin } from "../../support/git-origin.js";
import {
  FORBID_RUN,
  P1,
  P2,
  commitAll,
  createRunCacheOrigin,
  readJson,
  writeParams,
} from "../helpers/run-cache-project.js";
import {
  motoServerAvailable,
  type S3TestServer,
  startS3Server,
  TEST_AWS_ENV,
} from "../../support/s3-server.js";
import { runCliProcess } from "../helpers/temp-repo.js";
import { readFileSync } from "node:fs";

const BUCKET = "trainyard-run-cache";
const env = { ...TEST_AWS_ENV, CI: "true" };
let s3: S3TestServer;
let origin: GitOrigin;

const cli = (dir: string, args: string[], extra: Record<string, string> = {}) =>
  runCliProcess(args, { cwd: dir, env: { ...env, ...extra } });

const lockOf = (dir: string) => parseLock(readFileSync(join(dir, LOCK_FILE), "utf8"));

describe.skipIf(!motoServerAvailable())("run cache shared through an S3 remote", () => {
  beforeAll(async () => {
    s3 = await startS3Server([BUCKET]);
    origin = createRunCacheOrigin(s3, BUCKET, "shared");
  });
  afterAll(async () => {
    await s3?.stop();
    origin?.cleanup();
  });

  it("a fresh clone reverting to P1 restores both stages from the remote without running them", async () => {
    const a = origin.clone("clone-a");
    const seed = git(a, "rev-parse", "HEAD").trim();
    const p1Run = await cli(a, ["run"]);
    expect(p1Run.code, p1Run.stderr).toBe(0);
    expect(p1Run.stdout).toContain("2 ran");
    const p1Lock = lockOf(a);
    commitAll(a, "train P1");
    const p1Push = await cli(a, ["push"]);
    expect(p1Push.code, p1Push.stderr).toBe(0);
    expect(p1Push.stdout).toContain("Run records: pushed 2, 0 already on the remote.");

    writeParams(a, P2);
    expect((await cli(a, ["run"])).code).toBe(0);
    commitAll(a, "train P2");
    expect((await cli(a, ["push"])).code).toBe(0);
    git(a, "push", "--quiet", "origin", "main");

    const b = origin.clone("clone-b");
    const pulled = await cli(b, ["pull"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(readJson<{ weight: number }>(join(b, "models/model.json")).weight).toBeCloseTo(
      (1 + 2 + 3 + 4) * P2.scale * P2.lr,
    );
    writeParams(b, P1);
    const reverted = await cli(b, ["run"], FORBID_RUN);
    expect(reverted.stderr).not.toContain("sentinel");
    expect(reverted.code, reverted.stdout + reverted.stderr).toBe(0);
    expect(reverted.stdout).toContain("0 ran, 2 restored");
    for (const stage of ["prepare", "train"]) {
      expect(reverted.stdout).toMatch(
        new RegExp(
          `↺ ${stage}: restored from the run cache \\(first computed at ${seed.slice(0, 7)} on \\d{4}-\\d{2}-\\d{2} by [^,]+, saved \\d+ (?:ms|s); record from remote "team"\\)`,
        ),
      );
      // Exactly the bytes clone A computed for P1, every object verified on its way in.
      expect(lockOf(b).stages[stage]?.outs).toEqual(p1Lock.stages[stage]?.outs);
      expect(lockOf(b).stages[stage]?.fingerprint).toBe(p1Lock.stages[stage]?.fingerprint);
    }
    expect(readJson<{ weight: number }>(join(b, "models/model.json")).weight).toBeCloseTo(
      10 * P1.scale * P1.lr,
    );
    expect(reverted.stdout).toMatch(/the run cache saved \d/);

    // Restored records are now local: a second run needs no remote at all.
    const again = await cli(b, ["run", "--no-remote-cache"], FORBID_RUN);
    expect(again.stdout).toContain("0 ran, 0 restored, 2 up to date");
  }, 300_000);

  it("gc --remote keeps the records a reachable lock names and drops the others by age", async () => {
    const a = join(origin.root, "clone-a"); // at P2, with P1 in its history (first test)
    const young = await cli(a, ["gc", "--remote", "team"]);
    expect(young.code, young.stderr).toBe(0);
    expect(young.stdout).toContain("dropped 0 run record(s), kept 4");
    expect(young.stdout).toMatch(/removed 0 object\(s\)/);

    // --grace 0: the objects were pushed a moment ago, younger than the default grace period.
    const old = await cli(a, ["gc", "--remote", "team", "--run-records-older-than", "0", "--grace", "0"]);
    expect(old.code, old.stderr).toBe(0);
    // P2's records are named by HEAD's lock; P1's are not, and are older than 0 days.
    expect(old.stdout).toContain("dropped 2 run record(s), kept 2");
    expect(old.stdout).toMatch(/removed [1-9]\d* object\(s\)/);

    // What is left is consistent: P2 restores on a fresh clone; P1 runs, with no record to ignore.
    const d = origin.clone("clone-d");
    const p2 = await cli(d, ["run"], FORBID_RUN);
    expect(p2.code, p2.stderr).toBe(0);
    expect(p2.stdout).toContain("0 ran, 2 restored");
    writeParams(d, P1);
    const p1 = await cli(d, ["run"]);
    expect(p1.code, p1.stderr).toBe(0);
    expect(p1.stdout).toContain("2 ran, 0 restored");
    expect(p1.stderr).not.toContain("run cache on remote");
  }, 300_000);

  it("--no-remote-cache runs instead of asking the remote", async () => {
    const c = origin.clone("clone-c");
    expect((await cli(c, ["pull"])).code).toBe(0);
    writeParams(c, P1);
    const run = await cli(c, ["run", "--no-remote-cache", "prepare"], FORBID_RUN);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("sentinel: prepare was executed");
    rmSync(c, { recursive: true, force: true });
  }, 60_000);
});
