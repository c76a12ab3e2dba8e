/**
 * S3 remote figures (issue "Step 3"), against one moto server on loopback, in the same run:
 *   1. push and pull of one 256 MiB file vs `aws s3 cp` up and down — goal ≥ 1.0× as fast;
 *   2. push and pull of 5,000 × 4 KiB files vs `aws s3 sync` up and down — goal ≥ 1.0× as fast;
 *   3. a no-op push of the 5,000 objects already on the remote vs the full push — goal < 0.1×.
 * Both sides run as processes (our compiled CLI, the AWS CLI), with their default concurrency.
 * `pull` includes checking the data out into the working copy, as `aws s3 cp` writes the file.
 * Run alone: `node --import tsx bench/index.ts s3`.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startS3Server } from "../support/s3-server.js";
import type { BenchFigure } from "./figure.js";
import { timedRun as timed } from "./run-timed.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data", "s3");
const CLI = join(ROOT, "bin", "trainyard.js");
const BUCKET = "bench";

function writeBigFile(path: string, bytes: number): void {
  const chunk = randomBytes(8 * 1024 * 1024);
  const fd = openSync(path, "w");
  for (let written = 0, i = 0; written < bytes; written += chunk.length, i++) {
    chunk.writeUInt32LE(i, 0);
    writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
  }
  closeSync(fd);
}

function writeSmallFiles(dir: string, count: number, size: number): void {
  const pool = randomBytes(size + count);
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${Math.floor(i / 500)}`);
    if (i % 500 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.bin`), pool.subarray(i, i + size));
  }
}

function faster(name: string, ours: number, aws: number, amount: number, unit: string): BenchFigure {
  // Throughput ratio: ours / baseline, > 1 means faster than the AWS CLI.
  const ratio = aws / ours;
  return {
    name,
    value: amount / ours,
    unit,
    baseline: amount / aws,
    ratio,
    goal: "≥ 1.0× the AWS CLI",
    met: ratio >= 1,
  };
}

export async function benchS3(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<BenchFigure[]> {
  const { quick, log } = options;
  if (spawnSync("sh", ["-c", "command -v aws"], { stdio: "ignore" }).status !== 0) {
    throw new Error("the AWS CLI (aws) is not installed: it is the baseline for these figures");
  }
  const bigBytes = (quick ? 64 : 256) * 1024 * 1024;
  const bigLabel = quick ? "64 MiB" : "256 MiB";
  const count = quick ? 1000 : 5000;
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
  const aws = (args: string[]) => timed("aws", ["--endpoint-url", server.endpoint, ...args], DATA, env);
  try {
    rmSync(DATA, { recursive: true, force: true });
    const repo = join(DATA, "repo");
    mkdirSync(repo, { recursive: true });
    const trainyard = (args: string[]) => timed(process.execPath, [CLI, ...args], repo, env);
    timed("git", ["init", "-q", "-b", "main"], repo, env);
    writeFileSync(
      join(repo, "trainyard.yaml"),
      `store:\n  remotes:\n    local: { url: .trainyard/store }\n    team: { url: "s3://${BUCKET}/ours", endpoint: "${server.endpoint}", force_path_style: true }\n`,
    );
    trainyard(["init"]);
    log(`writing one ${bigLabel} file and ${count} files of 4 KiB`);
    writeBigFile(join(repo, "big.bin"), bigBytes);
    writeSmallFiles(join(repo, "small"), count, 4096);
    trainyard(["add", "big.bin", "small"]);
    const wipe = (path: string) => {
      rmSync(join(repo, ".trainyard", "store"), { recursive: true, force: true });
      rmSync(join(repo, path), { recursive: true, force: true });
    };
    const mib = bigBytes / 1024 / 1024;

    const awsBigUp = aws(["s3", "cp", "--quiet", join(repo, "big.bin"), `s3://${BUCKET}/aws/big.bin`]);
    const oursBigUp = trainyard(["push", "--remote", "team", "big.bin"]);
    log(`${bigLabel} up: aws s3 cp ${awsBigUp.toFixed(2)} s, trainyard push ${oursBigUp.toFixed(2)} s`);
    const awsSmallUp = aws(["s3", "sync", "--quiet", join(repo, "small"), `s3://${BUCKET}/aws/small/`]);
    const oursSmallUp = trainyard(["push", "--remote", "team", "small"]);
    log(
      `${count} files up: aws s3 sync ${awsSmallUp.toFixed(2)} s, trainyard push ${oursSmallUp.toFixed(2)} s`,
    );
    const noop = trainyard(["push", "--remote", "team", "small"]);
    log(`no-op push of ${count} present objects: ${noop.toFixed(2)} s`);
    const awsBigDown = aws(["s3", "cp", "--quiet", `s3://${BUCKET}/aws/big.bin`, join(DATA, "aws-big.bin")]);
    wipe("big.bin");
    const oursBigDown = trainyard(["pull", "--remote", "team", "big.bin"]);
    log(`${bigLabel} down: aws s3 cp ${awsBigDown.toFixed(2)} s, trainyard pull ${oursBigDown.toFixed(2)} s`);

    const awsSmallDown = aws(["s3", "sync", "--quiet", `s3://${BUCKET}/aws/small/`, join(DATA, "aws-small")]);
    wipe("small");
    const oursSmallDown = trainyard(["pull", "--remote", "team", "small"]);
    log(
      `${count} files down: aws s3 sync ${awsSmallDown.toFixed(2)} s, trainyard pull ${oursSmallDown.toFixed(2)} s`,
    );

    return [
      faster(`${bigLabel} file: push vs aws s3 cp`, oursBigUp, awsBigUp, mib, "MiB/s"),
      faster(`${bigLabel} file: pull vs aws s3 cp`, oursBigDown, awsBigDown, mib, "MiB/s"),
      faster(`${count} × 4 KiB: push vs aws s3 sync`, oursSmallUp, awsSmallUp, count, "files/s"),
      faster(`${count} × 4 KiB: pull vs aws s3 sync`, oursSmallDown, awsSmallDown, count, "files/s"),
      {
        name: `no-op push of ${count} present objects vs the full push`,
        value: noop,
        unit: "s",
        baseline: oursSmallUp,
        ratio: noop / oursSmallUp,
        goal: "< 0.1× the full push",
        met: noop / oursSmallUp < 0.1,
      },
    ];
  } finally {
    await server.stop();
    rmSync(DATA, { recursive: true, force: true });
  }
}
