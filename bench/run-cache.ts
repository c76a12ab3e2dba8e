/**
 * Shared run cache figures, on the iris example against one moto server on loopback:
 *   1. a fresh runner (fresh clone, empty store) reverting the params to a version another runner
 *      already trained: `run` with the shared run cache vs `run --no-remote-cache` (retraining) —
 *      goal < 0.5× the retraining time (both include process start-up);
 *   2. the latency of one stage's remote lookup that misses (the one GET every stale stage pays
 *      before running), and of one that hits with its objects already local, each against a bare
 *      GET of the same record — goal ≤ 2× one S3 round trip.
 * Run alone: `node --import tsx bench/index.ts "run cache"`.
 */
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { oidFromHex, type Oid } from "../src/core/oid.js";
import { parseLock } from "../src/core/lock.js";
import { openRepo, STATE_GITIGNORE } from "../src/io/git/index.js";
import { openRemoteRunCache } from "../src/io/remote/index.js";
import { createS3Remote, runRecordKey } from "../src/io/remote/index.js";
import { startS3Server } from "../support/s3-server.js";
import { type BenchFigure, median } from "./figure.js";
import { timedRun as timed } from "./run-timed.js";
import { readFileSync } from "node:fs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data", "run-cache");
const CLI = join(ROOT, "bin", "trainyard.js");
const BUCKET = "bench-run-cache";
const P2 = { n_estimators: 60, max_depth: 6 };

function setParams(dir: string, values: { n_estimators: number; max_depth: number }): void {
  const file = join(dir, "params.yaml");
  const text = readFileSync(file, "utf8")
    .replace(/n_estimators: \d+/, `n_estimators: ${values.n_estimators}`)
    .replace(/max_depth: \d+/, `max_depth: ${values.max_depth}`);
  writeFileSync(file, text);
}

async function timeMs(fn: () => Promise<unknown>, samples: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function benchRunCache(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<BenchFigure[]> {
  const { quick, log } = options;
  const server = await startS3Server([BUCKET]);
  const env = {
    ...process.env,
    ...server.env,
    CI: "true",
    GIT_AUTHOR_NAME: "bench",
    GIT_AUTHOR_EMAIL: "bench@trainyard.invalid",
    GIT_COMMITTER_NAME: "bench",
    GIT_COMMITTER_EMAIL: "bench@trainyard.invalid",
  };
  const git = (cwd: string, ...args: string[]) => timed("git", args, cwd, env);
  const trainyard = (cwd: string, ...args: string[]) => timed(process.execPath, [CLI, ...args], cwd, env);
  let clones = 0;
  const freshRunner = () => {
    const dir = join(DATA, `runner-${++clones}`);
    git(DATA, "clone", "-q", join(DATA, "origin.git"), dir);
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    return dir;
  };
  try {
    rmSync(DATA, { recursive: true, force: true });
    const seed = join(DATA, "seed");
    cpSync(join(ROOT, "examples", "iris"), seed, { recursive: true });
    writeFileSync(
      join(seed, "trainyard.yaml"),
      `${readFileSync(join(seed, "trainyard.yaml"), "utf8")}store:\n  default: local\n  remotes:\n    local: { url: .trainyard/store }\n    team: { url: "s3://${BUCKET}/iris", endpoint: "${server.endpoint}", force_path_style: true }\n`,
    );
    // What `trainyard init` writes: the store and caches stay out of git.
    mkdirSync(join(seed, ".trainyard"), { recursive: true });
    writeFileSync(join(seed, ".trainyard", ".gitignore"), STATE_GITIGNORE);
    git(seed, "init", "-q", "-b", "main");
    git(seed, "add", "-A");
    git(seed, "commit", "-qm", "seed");
    git(DATA, "clone", "-q", "--bare", seed, join(DATA, "origin.git"));

    // Runner A trains P1 then P2, pushing both, as two CI runs would.
    const a = freshRunner();
    trainyard(a, "run");
    git(a, "add", "-A");
    git(a, "commit", "-qm", "P1");
    trainyard(a, "push");
    const p1Lock = parseLock(readFileSync(join(a, "trainyard.lock"), "utf8"));
    setParams(a, P2);
    trainyard(a, "run");
    git(a, "add", "-A");
    git(a, "commit", "-qm", "P2");
    trainyard(a, "push");
    git(a, "push", "-q", "origin", "main");

    const samples = quick ? 1 : 3;
    const shared: number[] = [];
    const retrain: number[] = [];
    for (let i = 0; i < samples; i++) {
      for (const [times, args] of [
        [shared, ["run"]],
        [retrain, ["run", "--no-remote-cache"]],
      ] as const) {
        const runner = freshRunner();
        trainyard(runner, "pull");
        git(runner, "checkout", "-q", "HEAD~1", "--", "params.yaml");
        times.push(trainyard(runner, ...args));
      }
    }
    const oursRevert = median(shared);
    const baseRevert = median(retrain);
    log(
      `fresh-runner revert: shared run cache ${oursRevert.toFixed(2)} s, retraining ${baseRevert.toFixed(2)} s`,
    );

    // Lookup latency, in-process against the same server (credentials from the environment).
    Object.assign(process.env, server.env);
    const lookupRunner = freshRunner();
    const repo = openRepo(lookupRunner);
    const remote = createS3Remote({ name: "team", url: `s3://${BUCKET}/iris`, endpoint: server.endpoint });
    const cache = openRemoteRunCache(repo, remote);
    const trained = p1Lock.stages.train!.fingerprint as Oid;
    const client = server.client();
    const lookups = quick ? 10 : 40;
    await cache.lookup(trained); // objects come down once; later hits find them local
    const bareGet = await timeMs(async () => {
      const got = await client.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: runRecordKey("iris", trained) }),
      );
      await got.Body?.transformToByteArray();
    }, lookups);
    const miss = await timeMs(() => cache.lookup(oidFromHex(randomBytes(32).toString("hex"))), lookups);
    const hit = await timeMs(() => cache.lookup(trained), lookups);
    remote.close();
    log(
      `per-stage lookup: miss ${miss.toFixed(1)} ms, hit ${hit.toFixed(1)} ms, bare GET ${bareGet.toFixed(1)} ms`,
    );

    return [
      {
        name: "fresh-runner revert on iris: run with the shared run cache vs retraining",
        value: oursRevert,
        unit: "s",
        baseline: baseRevert,
        ratio: oursRevert / baseRevert,
        goal: "< 0.5× retraining",
        met: oursRevert / baseRevert < 0.5,
      },
      {
        name: "per-stage remote lookup, miss vs one bare GET",
        value: miss,
        unit: "ms",
        baseline: bareGet,
        ratio: miss / bareGet,
        goal: "≤ 2× one S3 round trip",
        met: miss / bareGet <= 2,
      },
      {
        name: "per-stage remote lookup, hit (objects local) vs one bare GET",
        value: hit,
        unit: "ms",
        baseline: bareGet,
        ratio: hit / bareGet,
        goal: "≤ 2× one S3 round trip",
        met: hit / bareGet <= 2,
      },
    ];
  } finally {
    await server.stop();
    rmSync(DATA, { recursive: true, force: true });
  }
}
