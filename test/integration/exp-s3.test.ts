/**
 * `exp push` / `exp pull` through a real S3 server (moto): the outs go to the store remote, the refs
 * to the git remote, and a fresh clone with an empty store sees the same `exp show --json` table and
 * applies an experiment with its model restored byte-identical from S3 (no stage runs).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLock } from "../../src/core/lock.js";
import { createGitOrigin, type GitOrigin, git } from "../../support/git-origin.js";
import { runCli } from "../helpers/s3-project.js";
import { motoServerAvailable, type S3TestServer, startS3Server } from "../../support/s3-server.js";

const BUCKET = "exp-share";
// Writes a sentinel next to the model on every run: a stage that ran in the fresh clone would show.
const TRAIN = `import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
const depth = Number(/depth: (\\d+)/.exec(readFileSync("params.yaml", "utf8"))[1]);
appendFileSync(process.env.TRAIN_SENTINEL ?? "/dev/null", "ran\\n");
mkdirSync("models", { recursive: true });
writeFileSync("models/model.txt", "model of depth " + depth + "\\n");
writeFileSync("metrics.json", JSON.stringify({ accuracy: 0.8 + depth / 100 }));
`;

const available = motoServerAvailable();
let s3: S3TestServer;
let origin: GitOrigin;

beforeAll(async () => {
  if (!available) return;
  s3 = await startS3Server([BUCKET]);
  origin = createGitOrigin({
    "trainyard.yaml": `params: params.yaml
stages:
  train:
    cmd: node train.mjs
    deps: [train.mjs]
    params: [train.depth]
    outs: [models/model.txt]
    metrics: [metrics.json]
models:
  toy:
    path: models/model.txt
    metrics: metrics.json
    gates:
      accuracy: { min: 0.82 }
store:
  default: team
  remotes:
    team: { url: "s3://${BUCKET}/p", endpoint: "${s3.endpoint}", region: us-east-1, force_path_style: true }
`,
    "params.yaml": "train:\n  depth: 2\n",
    "train.mjs": TRAIN,
  });
}, 60_000);

afterAll(async () => {
  await s3?.stop();
  origin?.cleanup();
});

async function cli(dir: string, ...args: string[]) {
  const sentinel = join(origin.root, `${dir.split("/").pop()}.ran`);
  const result = await runCli(dir, args, { ...s3.env, TRAIN_SENTINEL: sentinel });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

describe.skipIf(!available)("experiments shared through git and S3", () => {
  it("a fresh clone with an empty store shows the same table and applies byte-identical outs", async () => {
    const alice = origin.clone("alice");
    await cli(alice, "exp", "run", "-S", "train.depth=1,4", "--jobs", "2");
    const table = JSON.parse(await cli(alice, "exp", "show", "--json")) as { rows: { name: string }[] };
    expect(table.rows).toHaveLength(2);
    await cli(alice, "exp", "push", "origin");

    // Refs in the git remote, objects (both models) in the store remote.
    const refs = git(origin.bare, "for-each-ref", "--format=%(refname)", "refs/trainyard/exp/")
      .trim()
      .split("\n");
    expect(refs).toHaveLength(2);
    const listed = await s3.client().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "p/objects/" }));
    const keys = (listed.Contents ?? []).map((o) => o.Key);
    const show = JSON.parse(await cli(alice, "exp", "show", "--json", "--sort", "accuracy:desc")) as {
      rows: { name: string; commit: string }[];
    };
    const winner = show.rows[0] as { name: string; commit: string };
    const lock = parseLock(git(alice, "show", `${winner.commit}:trainyard.lock`));
    const modelHash = lock.stages.train?.outs[0]?.hash as string;
    expect(keys).toContain(`p/objects/sha256/${modelHash.slice(7, 9)}/${modelHash.slice(9)}`);

    const bob = origin.clone("bob");
    rmSync(join(bob, ".trainyard"), { recursive: true, force: true });
    await cli(bob, "exp", "pull", "origin");
    expect(JSON.parse(await cli(bob, "exp", "show", "--json"))).toEqual(table);
    await cli(bob, "exp", "apply", winner.name);
    const model = readFileSync(join(bob, "models/model.txt"));
    expect(model.toString()).toBe("model of depth 4\n");
    // Byte-identical to the variant's output: the same content address the experiment's lock names.
    expect(`sha256:${createHash("sha256").update(model).digest("hex")}`).toBe(modelHash);
    expect(existsSync(join(origin.root, "bob.ran"))).toBe(false);
    expect(readFileSync(join(origin.root, "alice.ran"), "utf8")).toBe("ran\nran\n");
  }, 240_000);
});
