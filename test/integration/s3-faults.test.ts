/**
 * Faults against a real S3 server (moto on loopback): a corrupted object on the server, a missing
 * bucket, wrong credentials, the server restarted mid-push, and `push` killed with SIGKILL mid-upload.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, makeS3Project, remoteYaml, runCli } from "../helpers/s3-project.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

const BUCKET = "faults";
const SLOW = 180_000;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const keyOf = (prefix: string, hex: string) => `${prefix}/objects/sha256/${hex.slice(0, 2)}/${hex.slice(2)}`;

describe("S3 remote faults", () => {
  let server: S3TestServer;
  const repos: string[] = [];

  async function project(prefix: string): Promise<string> {
    const repo = await makeS3Project(server, BUCKET, prefix);
    repos.push(repo);
    const init = await runCli(repo, ["init"], server.env);
    expect(init.code, init.stderr).toBe(0);
    return repo;
  }

  async function add(repo: string, ...paths: string[]): Promise<void> {
    const run = await runCli(repo, ["add", ...paths], server.env);
    expect(run.code, run.stderr).toBe(0);
  }

  /** Start `push` and call `when` until it returns true, then `then` (the push keeps running). */
  function pushAndInterrupt(
    repo: string,
    args: string[],
    when: () => Promise<boolean>,
    then: (kill: () => void) => Promise<void>,
  ): Promise<{ run: CliRun; interrupted: boolean }> {
    let interrupted = false;
    return new Promise((resolve, reject) => {
      let done = false;
      const finished = runCli(repo, ["push", ...args], server.env, (child) => {
        const poll = async () => {
          while (!done) {
            if (await when().catch(() => false)) {
              interrupted = true;
              await then(() => child.kill("SIGKILL"));
              return;
            }
            await new Promise((r) => setTimeout(r, 25));
          }
        };
        poll().catch(reject);
      });
      finished.then((run) => {
        done = true;
        resolve({ run, interrupted });
      }, reject);
    });
  }

  beforeAll(async () => {
    server = await startS3Server([BUCKET]);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    for (const repo of repos) rmSync(repo, { recursive: true, force: true });
  });

  it(
    "refuses a corrupted object on pull, names its key, and stores nothing",
    async () => {
      const repo = await project("corrupt");
      const model = randomBytes(200_000);
      const hex = sha256(model);
      writeFileSync(join(repo, "model.bin"), model);
      await add(repo, "model.bin");
      expect((await runCli(repo, ["push"], server.env)).code).toBe(0);
      // Someone overwrites the object with other bytes (same size) behind Trainyard's back.
      const tampered = Buffer.from(model);
      tampered[1234] = (tampered[1234]! + 1) % 256;
      await server
        .client()
        .send(new PutObjectCommand({ Bucket: BUCKET, Key: keyOf("corrupt", hex), Body: tampered }));
      rmSync(join(repo, ".trainyard", "store"), { recursive: true, force: true });
      rmSync(join(repo, "model.bin"));

      const run = await runCli(repo, ["pull"], server.env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`s3://${BUCKET}/${keyOf("corrupt", hex)}`);
      expect(run.stderr).toContain("corrupt");
      expect(existsSync(join(repo, "model.bin"))).toBe(false);
      const store = join(repo, ".trainyard", "store");
      expect(existsSync(join(store, "objects", "sha256", hex.slice(0, 2), hex.slice(2)))).toBe(false);
      const temp = join(store, "tmp");
      expect(existsSync(temp) ? readdirSync(temp) : []).toEqual([]);
    },
    SLOW,
  );

  it(
    "names the remote and the bucket when the bucket does not exist",
    async () => {
      const repo = await project("nobucket");
      writeFileSync(join(repo, "trainyard.yaml"), remoteYaml(server, "no-such-bucket", "x"));
      writeFileSync(join(repo, "a.txt"), "hello\n");
      await add(repo, "a.txt");
      const push = await runCli(repo, ["push"], server.env);
      rmSync(join(repo, ".trainyard", "store"), { recursive: true, force: true });
      const fetch = await runCli(repo, ["fetch"], server.env);
      for (const run of [push, fetch]) {
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('remote "team" (s3://no-such-bucket/x');
        expect(run.stderr).toContain('bucket "no-such-bucket" does not exist');
      }
    },
    SLOW,
  );

  it(
    "says access was denied, naming the remote, when the credentials are wrong",
    async () => {
      const strict = await startS3Server([], { enforceAuth: true });
      try {
        const repo = await project("auth");
        writeFileSync(join(repo, "trainyard.yaml"), remoteYaml(strict, "some-bucket", "x"));
        writeFileSync(join(repo, "a.txt"), "hello\n");
        await add(repo, "a.txt");
        const run = await runCli(repo, ["push", "--json"], { ...strict.env, AWS_ACCESS_KEY_ID: "wrong" });
        expect(run.code).toBe(1);
        const error = JSON.parse(run.stdout).error;
        expect(error.code).toBe("remote");
        expect(error.message).toContain('remote "team" (s3://some-bucket/x');
        expect(error.message).toContain("access denied");
        expect(error.message).toContain("AWS_ACCESS_KEY_ID");
      } finally {
        await strict.stop();
      }
    },
    SLOW,
  );

  it(
    "completes on a re-run after the server restarted mid-push",
    async () => {
      const repo = await project("restart");
      const big = randomBytes(24 * 1024 * 1024);
      const bigHex = sha256(big);
      writeFileSync(join(repo, "big.bin"), big);
      mkdirSync(join(repo, "small"));
      for (let i = 0; i < 150; i++) writeFileSync(join(repo, "small", `${i}.bin`), randomBytes(1000));
      await add(repo, "big.bin", "small");
      const client = server.client();
      const { interrupted } = await pushAndInterrupt(
        repo,
        ["--jobs", "2"],
        async () =>
          ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "restart/" }))).KeyCount ??
            0) > 10,
        async () => {
          await server.restart(); // moto forgets everything, the bucket included
          await server.createBucket(BUCKET);
        },
      );
      expect(interrupted).toBe(true);
      const rerun = await runCli(repo, ["push", "--json"], server.env);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).transferred).toBeGreaterThan(0);
      const again = await runCli(repo, ["push", "--json"], server.env);
      expect(JSON.parse(again.stdout)).toMatchObject({ transferred: 0, objects: 152 });
      const object = await client.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: keyOf("restart", bigHex) }),
      );
      expect(sha256(await object.Body!.transformToByteArray())).toBe(bigHex);
    },
    SLOW,
  );

  it(
    "leaves no partial object under a final key when push is SIGKILLed mid-upload; a re-run completes",
    async () => {
      const repo = await project("sigkill");
      const big = randomBytes(48 * 1024 * 1024);
      const hex = sha256(big);
      writeFileSync(join(repo, "big.bin"), big);
      await add(repo, "big.bin");
      const client = server.client();
      const { run, interrupted } = await pushAndInterrupt(
        repo,
        ["--jobs", "1"],
        async () =>
          (
            (await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: "sigkill/" })))
              .Uploads ?? []
          ).length > 0,
        async (kill) => kill(),
      );
      expect(interrupted).toBe(true);
      expect(run.signal).toBe("SIGKILL");
      const head = client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: keyOf("sigkill", hex) }));
      await expect(head).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });

      const rerun = await runCli(repo, ["push", "--json"], server.env);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout).transferred).toBe(1);
      const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: keyOf("sigkill", hex) }));
      expect(sha256(await object.Body!.transformToByteArray())).toBe(hex);
      // The killed upload is still pending on the server until `gc --remote` aborts it.
      const pending = await client.send(
        new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: "sigkill/" }),
      );
      expect(pending.Uploads?.length).toBe(1);
      expect(readFileSync(join(repo, "big.bin")).length).toBe(big.length);
    },
    SLOW,
  );
});
