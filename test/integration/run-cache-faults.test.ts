/**
 * The shared run cache under trouble, on a real moto server: a remote that dies in the middle of a
 * lookup, a record whose objects were lost on the remote, and two runners computing the same stage
 * at the same time. In each case `run` succeeds, says what happened, and never half-restores.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE, parseLock } from "../../src/core/lock.js";
import { type Oid, oidFromHex, oidStoreKey } from "../../src/core/oid.js";
import { parseRunRecord, recordEntries } from "../../src/core/run-cache/run-record.js";
import { runPipeline } from "../../src/io/pipeline/index.js";
import { openRemoteRunCache } from "../../src/io/remote/index.js";
import { createS3Remote } from "../../src/io/remote/s3-remote.js";
import { openRepo } from "../../src/io/git/index.js";
import type { GitOrigin } from "../../support/git-origin.js";
import { commitAll, createRunCacheOrigin, FORBID_RUN, writeParams } from "../helpers/run-cache-project.js";
import {
  motoServerAvailable,
  type S3TestServer,
  startS3Server,
  TEST_AWS_ENV,
} from "../../support/s3-server.js";
import { runCliProcess } from "../helpers/temp-repo.js";

const BUCKET = "trainyard-run-cache-faults";
const env = { ...TEST_AWS_ENV, CI: "true" };
const cli = (dir: string, args: string[], extra: Record<string, string> = {}) =>
  runCliProcess(args, { cwd: dir, env: { ...env, ...extra } });
const lockOf = (dir: string) => parseLock(readFileSync(join(dir, LOCK_FILE), "utf8"));

/** A clone that ran the pipeline at the seed's params and pushed its records. */
async function trainedAndPushed(origin: GitOrigin, name: string): Promise<string> {
  const dir = origin.clone(name);
  const ran = await cli(dir, ["run"]);
  expect(ran.code, ran.stderr).toBe(0);
  expect((await cli(dir, ["push"])).code).toBe(0);
  return dir;
}

describe.skipIf(!motoServerAvailable())("shared run cache faults", () => {
  let s3: S3TestServer;
  let origin: GitOrigin;
  beforeAll(async () => {
    s3 = await startS3Server([BUCKET]);
    Object.assign(process.env, TEST_AWS_ENV);
    origin = createRunCacheOrigin(s3, BUCKET, "faults");
  });
  afterAll(async () => {
    await s3?.stop();
    origin?.cleanup();
  });

  it("ignores and reports a record whose objects are missing on the remote, and a complete record replaces it on push", async () => {
    const a = await trainedAndPushed(origin, "missing-a");
    const prepared = lockOf(a).stages.prepare!.outs[0]!;
    // Lose one file of the prepared folder on the remote (its manifest is still there).
    const manifest = JSON.parse(
      readFileSync(join(a, ".trainyard/store", oidStoreKey(prepared.hash as Oid)), "utf8"),
    ) as { path: string; hash: Oid }[];
    const lost = manifest.find((e) => e.path === "train.csv")!;
    await s3
      .client()
      .send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `faults/${oidStoreKey(lost.hash)}` }));

    const b = origin.clone("missing-b");
    const run = await cli(b, ["run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /! prepare: run cache on remote "team": the remote's record was ignored: its objects are not all on the remote/,
    );
    expect(run.stdout).toContain("✓ prepare: ran");
    // train's own record is complete, and its input is byte-identical: restored.
    expect(run.stdout).toContain("↺ train: restored from the run cache");
    expect(run.stdout).toContain("1 ran, 1 restored");

    // A runner whose command is not reproducible: its prepared folder differs from A's, so the
    // push of its own objects leaves A's record incomplete, and its record replaces A's.
    const salted = origin.clone("missing-salted");
    const saltedRun = await cli(salted, ["run"], { TRAINYARD_TEST_SALT: "\n99" });
    expect(saltedRun.code, saltedRun.stderr).toBe(0);
    expect(saltedRun.stdout).toContain("2 ran");
    const saltedPush = await cli(salted, ["push"]);
    expect(saltedPush.code, saltedPush.stderr).toBe(0);
    expect(saltedPush.stdout).toContain("Run records: pushed 2, 0 already on the remote.");
    const afterReplace = await cli(origin.clone("missing-after-replace"), ["run"], FORBID_RUN);
    expect(afterReplace.code, afterReplace.stderr).toBe(0);
    expect(afterReplace.stdout).toContain("0 ran, 2 restored");

    // B's push uploads the lost object again (it computed A's bytes); the records on the remote
    // (the salted runner's prepare, A's train) are complete, so they stay as they are.
    const pushed = await cli(b, ["push"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain("Pushed 1 object(s)");
    expect(pushed.stdout).toContain("Run records: pushed 0, 2 already on the remote.");
    const c = origin.clone("missing-c");
    const restored = await cli(c, ["run"], FORBID_RUN);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain("0 ran, 2 restored");
  }, 300_000);

  it("two runners computing the same stage at once both succeed and leave one consistent record", async () => {
    const [x, y] = [origin.clone("race-x"), origin.clone("race-y")];
    for (const dir of [x, y]) writeParams(dir, { scale: 7, lr: 0.25 });
    const both = await Promise.all(
      [x, y].map(async (dir) => {
        const ran = await cli(dir, ["run"]);
        const pushed = await cli(dir, ["push"]);
        return { ran, pushed };
      }),
    );
    for (const { ran, pushed } of both) {
      expect(ran.code, ran.stderr).toBe(0);
      expect(pushed.code, pushed.stderr).toBe(0);
    }
    const outcomes = both.map((b) =>
      /Run records: pushed (\d), (\d) already/.exec(b.pushed.stdout)!.slice(1).map(Number),
    );
    // Each record written once: what one runner pushed, the other found there.
    expect(outcomes.reduce((sum, [pushedCount]) => sum + pushedCount!, 0)).toBe(2);

    const fingerprint = lockOf(x).stages.train!.fingerprint as Oid;
    const remote = createS3Remote({ name: "team", url: `s3://${BUCKET}/faults`, endpoint: s3.endpoint });
    try {
      const record = parseRunRecord((await remote.getRunRecord(fingerprint))!.toString("utf8"), fingerprint);
      if (typeof record === "string") throw new Error(record);
      const missing = await remote.findMissing(
        recordEntries(record).map((e) => ({ oid: e.hash as Oid, size: e.size })),
      );
      expect(missing).toEqual([]);
      expect(record.outs).toEqual(lockOf(x).stages.train!.outs);
    } finally {
      remote.close();
    }
    const z = origin.clone("race-z");
    writeParams(z, { scale: 7, lr: 0.25 });
    const restored = await cli(z, ["run"], FORBID_RUN);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain("0 ran, 2 restored");
  }, 300_000);

  it("a forged record naming paths the stage does not declare is ignored, nothing written there", async () => {
    const x = origin.clone("forge-x");
    writeParams(x, { scale: 17, lr: 0.5 });
    expect((await cli(x, ["run", "--no-remote-cache", "prepare"])).code).toBe(0); // not pushed
    const fingerprint = lockOf(x).stages.prepare!.fingerprint as Oid;
    const payload = Buffer.from("owned\n");
    const oid = oidFromHex(createHash("sha256").update(payload).digest("hex"));
    const file = join(x, "payload");
    writeFileSync(file, payload);
    const remote = createS3Remote({ name: "team", url: `s3://${BUCKET}/faults`, endpoint: s3.endpoint });
    try {
      await remote.upload({ oid, size: payload.length }, file);
      const forged = {
        fingerprint,
        stage: "prepare",
        outs: [{ path: "../escaped.txt", hash: oid, size: payload.length }],
        metrics: [],
        plots: [],
      };
      expect(await remote.putRunRecord(fingerprint, Buffer.from(JSON.stringify(forged)))).toBe(true);
    } finally {
      remote.close();
    }
    const y = origin.clone("forge-y");
    writeParams(y, { scale: 17, lr: 0.5 });
    const run = await cli(y, ["run", "prepare"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /! prepare: run cache record for sha256:.* ignored: it names outs \[\.\.\/escaped\.txt\], the stage declares \[data\/prepared\]/,
    );
    expect(run.stdout).toContain("✓ prepare: ran");
    expect(existsSync(join(y, "..", "escaped.txt"))).toBe(false);
  }, 300_000);

  // Last: it stops the server.
  it("a remote failing mid-lookup (server stopped) falls back to running and says so", async () => {
    const a = origin.clone("down-a");
    writeParams(a, { scale: 11, lr: 0.5 });
    expect((await cli(a, ["run"])).code).toBe(0);
    commitAll(a, "train");
    expect((await cli(a, ["push"])).code).toBe(0);

    const b = origin.clone("down-b");
    writeParams(b, { scale: 11, lr: 0.5 });
    const requests: string[] = [];
    let stopping: Promise<void> | undefined;
    const remote = createS3Remote(
      { name: "team", url: `s3://${BUCKET}/faults`, endpoint: s3.endpoint },
      {
        maxAttempts: 2,
        // The record comes down, then the server dies as the first object is asked for.
        onRequest: (command, input) => {
          requests.push(`${command} ${String(input.Key ?? "")}`);
          if (command === "GetObjectCommand" && String(input.Key).includes("/objects/"))
            stopping ??= s3.stop();
        },
      },
    );
    const repo = openRepo(b);
    const result = await runPipeline(repo, {
      jobs: 1,
      onLine: () => {},
      remoteCache: async () => openRemoteRunCache(repo, remote),
    });
    await stopping;
    expect(requests[0]).toMatch(/^GetObjectCommand faults\/runs\//);
    expect(result.ok).toBe(true);
    expect(result.stages.map((s) => [s.stage, s.action])).toEqual([
      ["prepare", "ran"],
      ["train", "ran"],
    ]);
    expect(result.stages[0]!.warnings?.[0]).toMatch(
      /run cache on remote "team" unavailable, running instead/,
    );
    // Asked once: after the failure, train did not wait on the dead remote again.
    expect(result.stages[1]!.warnings).toBeUndefined();
    expect(lockOf(b).stages.prepare!.outs).toEqual(lockOf(a).stages.prepare!.outs);

    // The CLI with the server already down: a warning, the stages run, exit 0.
    const c = origin.clone("down-c");
    writeParams(c, { scale: 13, lr: 0.5 });
    const run = await cli(c, ["run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /! prepare: run cache on remote "team" unavailable, running instead .*cannot reach the endpoint/,
    );
    expect(run.stdout).toContain("2 ran");
  }, 300_000);
});
