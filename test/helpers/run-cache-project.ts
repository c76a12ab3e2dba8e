/**
 * A two-stage project for run-cache tests, seeded into a bare git origin, with an S3 remote on the
 * loopback moto server. Its stage script refuses to run when `TRAINYARD_TEST_FORBID_RUN` is set:
 * the sentinel that proves a restore really ran nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createGitOrigin, type GitOrigin, git } from "../../support/git-origin.js";
import { remoteYaml } from "./s3-project.js";
import type { S3TestServer } from "../../support/s3-server.js";

export const FORBID_RUN = { TRAINYARD_TEST_FORBID_RUN: "1" } as const;

const STEP_SCRIPT = `const fs = require("node:fs");
const stage = process.argv[2];
if (process.env.TRAINYARD_TEST_FORBID_RUN) {
  console.error("sentinel: " + stage + " was executed although the run cache should have restored it");
  process.exit(97);
}
const params = JSON.parse(fs.readFileSync("params.json", "utf8"));
// Long enough that the time a restore saves is visible, short enough for a test.
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
if (stage === "prepare") {
  const rows = fs.readFileSync("data/raw.txt", "utf8").trim().split("\\n").map((r) => Number(r) * params.prepare.scale);
  fs.mkdirSync("data/prepared", { recursive: true });
  // A salt from the environment (not an input) stands for a command whose output is not reproducible.
  fs.writeFileSync("data/prepared/train.csv", rows.join("\\n") + (process.env.TRAINYARD_TEST_SALT ?? ""));
  fs.writeFileSync("data/prepared/test.csv", rows.slice(0, 2).join("\\n"));
} else {
  const rows = fs.readFileSync("data/prepared/train.csv", "utf8").split("\\n").map(Number);
  const weight = rows.reduce((a, b) => a + b, 0) * params.train.lr;
  fs.mkdirSync("models", { recursive: true });
  fs.writeFileSync("models/model.json", JSON.stringify({ weight }));
  fs.writeFileSync("metrics.json", JSON.stringify({ weight }));
}
console.log(stage + " computed");
`;

const PIPELINE = `params: params.json
stages:
  prepare:
    cmd: node src/step.js prepare
    deps: [src/step.js, data/raw.txt]
    params: [prepare.scale]
    outs: [data/prepared]
  train:
    cmd: node src/step.js train
    deps: [src/step.js, data/prepared]
    params: [train.lr]
    outs: [models/model.json]
    metrics: [metrics.json]
`;

export interface Params {
  scale: number;
  lr: number;
}

export const P1: Params = { scale: 2, lr: 0.1 };
export const P2: Params = { scale: 3, lr: 0.5 };

export function writeParams(dir: string, p: Params): void {
  writeFileSync(
    join(dir, "params.json"),
    `${JSON.stringify({ prepare: { scale: p.scale }, train: { lr: p.lr } })}\n`,
  );
}

/** Fill `dir` with the project at P1, its remote `team` at `s3://<bucket>/<prefix>`. */
export function seedRunCacheProject(dir: string, server: S3TestServer, bucket: string, prefix: string): void {
  writeFileSync(join(dir, "trainyard.yaml"), `${PIPELINE}${remoteYaml(server, bucket, prefix)}`);
  writeFileSync(join(dir, ".gitignore"), ".trainyard/\n");
  writeParams(dir, P1);
  for (const [path, text] of Object.entries({ "src/step.js": STEP_SCRIPT, "data/raw.txt": "1\n2\n3\n4\n" })) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** A bare origin holding the seeded project. */
export function createRunCacheOrigin(server: S3TestServer, bucket: string, prefix: string): GitOrigin {
  return createGitOrigin((dir) => seedRunCacheProject(dir, server, bucket, prefix), "ty-run-cache-");
}

export function commitAll(dir: string, message: string): string {
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "-m", message);
  return git(dir, "rev-parse", "HEAD").trim();
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}
