/**
 * The run action with a shared S3 remote (moto on loopback): one runner trains and pushes its outs;
 * a fresh runner, whose local store is empty, pulls what the stages need and finds nothing to run.
 */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../actions/run/runner.js";
import { type ActionHarness, startActionHarness } from "../helpers/action-harness.js";
import { copyExample, PROJECT_ROOT } from "../../support/copy-example.js";
import {
  motoServerAvailable,
  type S3TestServer,
  startS3Server,
  TEST_AWS_ENV,
} from "../../support/s3-server.js";

const BUCKET = "trainyard-actions";
let s3: S3TestServer;
let h: ActionHarness;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);

describe.skipIf(!motoServerAvailable())("run action with an S3 remote", () => {
  beforeAll(async () => {
    s3 = await startS3Server([BUCKET]);
    // The S3 client reads credentials from the standard AWS chain, as on a runner with secrets set.
    Object.assign(process.env, TEST_AWS_ENV);
    h = await startActionHarness((dir) => {
      copyExample("iris", dir);
      const config = readFileSync(join(dir, "trainyard.yaml"), "utf8");
      const store = `store:\n  default: local\n  remotes:\n    local: { url: .trainyard/store }\n    team: { url: "s3://${BUCKET}/iris", endpoint: "${s3.endpoint}", region: us-east-1, force_path_style: true }\n`;
      writeFileSync(
        join(dir, "trainyard.yaml"),
        `${config.replace(/^store:[\s\S]*?(?=^\S|$(?![\s\S]))/m, "")}${store}`,
      );
    });
    symlinkSync(join(PROJECT_ROOT, "node_modules"), join(h.workspace, "node_modules"), "dir");
  });
  afterAll(async () => {
    await h?.stop();
    await s3?.stop();
  });

  it("pushes every out the lock records to the remote", async () => {
    const result = await run(h.env({ remote: "team" }, { name: "push" }), fail);
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(JSON.parse(h.outputs()["stages-ran"]!)).toEqual(["prepare", "train", "evaluate"]);
    const listed = await s3.client().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "iris/" }));
    expect(listed.KeyCount).toBeGreaterThanOrEqual(3);
  });

  it("lets a fresh runner pull what the stages need instead of re-running them", async () => {
    const fresh = h.origin.clone("fresh-runner");
    symlinkSync(join(PROJECT_ROOT, "node_modules"), join(fresh, "node_modules"), "dir");
    expect(existsSync(join(fresh, "models/iris/model.json"))).toBe(false);
    const result = await run(
      { ...h.env({ remote: "team" }, { name: "push" }), GITHUB_WORKSPACE: fresh },
      fail,
    );
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(h.outputs()).toMatchObject({ "stages-ran": "[]", commit: "" });
    expect(existsSync(join(fresh, "models/iris/model.json"))).toBe(true);
    expect(existsSync(join(fresh, "data/prepared/train.csv"))).toBe(true);
  });
});
