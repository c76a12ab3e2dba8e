/**
 * Transfers fail loudly: with many objects queued, a corrupted object on the server (pull into an
 * empty store) and the server killed mid-push each end with exit 1 and a message naming the object
 * and the cause — never Node's silent exit 13 from promises that never settle.
 */
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeS3Project, runCli } from "../helpers/s3-project.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

const BUCKET = "loud";
const SLOW = 180_000;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("transfers fail loudly", () => {
  let server: S3TestServer;
  const repos: string[] = [];

  async function projectWithFiles(prefix: string, count: number, size: number): Promise<string> {
    const repo = await makeS3Project(server, BUCKET, prefix);
    repos.push(repo);
    expect((await runCli(repo, ["init"], server.env)).code).toBe(0);
    mkdirSync(join(repo, "data"));
    for (let i = 0; i < count; i++)
      writeFileSync(join(repo, "data", `f${i}.bin`), Buffer.alloc(size, i % 251));
    const add = await runCli(repo, ["add", "data"], server.env);
    expect(add.code, add.stderr).toBe(0);
    return repo;
  }

  beforeAll(async () => {
    server = await startS3Server([BUCKET]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    for (const repo of repos) rmSync(repo, { recursive: true, force: true });
  });

  it(
    "a corrupted server object among many: pull exits 1 naming the object and the cause",
    async () => {
      const repo = await projectWithFiles("corrupt-many", 60, 1000);
      expect((await runCli(repo, ["push"], server.env)).code).toBe(0);
      const victim = sha256(Buffer.alloc(1000, 0));
      const key = `corrupt-many/objects/sha256/${victim.slice(0, 2)}/${victim.slice(2)}`;
      await server
        .client()
        .send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.alloc(1000, 9) }));
      rmSync(join(repo, ".trainyard", "store"), { recursive: true, force: true });
      rmSync(join(repo, "data"), { recursive: true, force: true });
      const run = await runCli(repo, ["pull", "--jobs", "2"], server.env);
      expect(run.code, `exit ${run.code} signal ${run.signal}\n${run.stderr}`).toBe(1);
      expect(run.stderr).toContain(victim.slice(0, 12));
      expect(run.stderr).toContain("corrupt");
    },
    SLOW,
  );

  it(
    "fsck --remote finds a corrupted server object by downloading and hashing; --repair uploads it again",
    async () => {
      const repo = await projectWithFiles("fsck", 5, 500);
      expect((await runCli(repo, ["push"], server.env)).code).toBe(0);
      const victim = sha256(Buffer.alloc(500, 3));
      const key = `fsck/objects/sha256/${victim.slice(0, 2)}/${victim.slice(2)}`;
      await server
        .client()
        .send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.alloc(500, 8) }));
      const check = await runCli(repo, ["fsck", "--remote"], server.env);
      expect(check.code, check.stdout + check.stderr).toBe(1);
      expect(check.stdout).toContain(victim);
      expect(check.stdout).toContain("corrupt");
      const repair = await runCli(repo, ["fsck", "--remote", "--repair"], server.env);
      expect(repair.code, repair.stdout + repair.stderr).toBe(0);
      expect(repair.stdout).toContain("uploaded again");
      const again = await runCli(repo, ["fsck", "--remote"], server.env);
      expect(again.code, again.stdout + again.stderr).toBe(0);
    },
    SLOW,
  );

  it(
    "the server killed mid-push: push exits 1 naming an object and the cause",
    async () => {
      const repo = await projectWithFiles("killed", 150, 64 * 1024);
      let stopped = false;
      const run = await runCli(repo, ["push", "--jobs", "2"], server.env, () => {
        const poll = async () => {
          for (;;) {
            const listed = await server
              .client()
              .send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "killed/" }))
              .catch(() => undefined);
            if ((listed?.KeyCount ?? 0) >= 5) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          await server.stop();
          stopped = true;
        };
        void poll();
      });
      expect(stopped).toBe(true);
      expect(run.code, `exit ${run.code} signal ${run.signal}\n${run.stderr}`).toBe(1);
      expect(run.stderr).toMatch(/sha256:[0-9a-f]{12}/);
      expect(run.stderr).toMatch(/ECONNREFUSED|connect|unreachable|socket/i);
      server = await startS3Server([BUCKET]);
    },
    SLOW,
  );
});
