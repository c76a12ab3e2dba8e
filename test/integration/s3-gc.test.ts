/**
 * `trainyard gc --remote` against a real S3 server (moto): what the working tree, HEAD, branches and
 * tags reference is kept; everything else goes (or is only counted with --dry-run); incomplete
 * multipart uploads older than the grace period are aborted.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staleUploads } from "../../src/io/remote/remote-gc.js";
import { makeS3Project, runCli } from "../helpers/s3-project.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

const BUCKET = "gcbucket";
const PREFIX = "gc";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const keyOf = (hex: string) => `${PREFIX}/objects/sha256/${hex.slice(0, 2)}/${hex.slice(2)}`;

describe("staleUploads", () => {
  it("keeps uploads younger than the grace period", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    const uploads = [
      { key: "a", uploadId: "1", initiated: new Date("2026-01-01T11:30:00Z") },
      { key: "b", uploadId: "2", initiated: new Date("2026-01-01T10:59:59Z") },
      { key: "c", uploadId: "3" },
    ];
    expect(staleUploads(uploads, now, 60 * 60_000).map((u) => u.key)).toEqual(["b", "c"]);
    expect(staleUploads(uploads, now, 0).map((u) => u.key)).toEqual(["a", "b", "c"]);
  });
});

describe("gc --remote", () => {
  let server: S3TestServer;
  let repo: string;
  const hashes: Record<string, string> = {};

  async function cli(...args: string[]) {
    const run = await runCli(repo, args, server.env);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout.trim().startsWith("{") ? JSON.parse(run.stdout) : run.stdout;
  }

  async function remoteKeys(): Promise<string[]> {
    const page = await server
      .client()
      .send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${PREFIX}/` }));
    return (page.Contents ?? []).map((c) => c.Key!).sort();
  }

  beforeAll(async () => {
    server = await startS3Server([BUCKET]);
    repo = await makeS3Project(server, BUCKET, PREFIX);
    const git = simpleGit(repo);
    await cli("init");
    const write = (name: string, bytes: Buffer) => {
      writeFileSync(join(repo, name), bytes);
      hashes[name] = sha256(bytes);
    };
    write("a.bin", randomBytes(3000)); // version 1, tagged
    mkdirSync(join(repo, "data"));
    for (const n of [1, 2, 3]) writeFileSync(join(repo, "data", `${n}.txt`), `row ${n}\n`);
    await cli("add", "a.bin", "data");
    await git.add(".").commit("v1");
    await git.addTag("v1");
    hashes["a.bin@v1"] = hashes["a.bin"]!;
    await cli("push");

    write("a.bin", randomBytes(3000)); // version 2 on main
    await cli("add", "a.bin");
    await git.add(".").commit("v2");
    await cli("push");

    await git.checkoutLocalBranch("exp");
    write("b.bin", randomBytes(2000)); // only on branch exp
    await cli("add", "b.bin");
    await git.add(".").commit("exp");
    await cli("push");
    await git.checkout("main").catch(() => git.checkout("master"));

    const stray = randomBytes(1000); // uploaded by someone, referenced by nothing
    hashes.stray = sha256(stray);
    const client = server.client();
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyOf(hashes.stray), Body: stray }));
    await client.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: keyOf(sha256(randomBytes(8))) }),
    );
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it("--dry-run counts without deleting", async () => {
    const before = await remoteKeys();
    const out = await cli("gc", "--remote", "team", "--grace", "0", "--dry-run", "--json");
    // a.bin v1, b.bin (branch exp only) and the stray object are unreferenced from HEAD.
    // moto reports every multipart upload as started in 2010, so it is always past the grace period.
    expect(out.remote).toMatchObject({
      dryRun: true,
      removed: 3,
      removedBytes: 3000 + 2000 + 1000,
      commits: 1,
      abortedUploads: 1,
    });
    expect(await remoteKeys()).toEqual(before);
    // With the default grace period, objects pushed a moment ago stay, referenced or not.
    const young = await cli("gc", "--remote", "team", "--dry-run", "--json");
    expect(young.remote).toMatchObject({ dryRun: true, removed: 0 });
    const uploads = await server.client().send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(uploads.Uploads ?? []).toHaveLength(1);
  }, 60_000);

  it("keeps what branches and tags reference when asked, and removes the rest", async () => {
    const out = await cli("gc", "--remote", "team", "--grace", "0", "--all-branches", "--all-tags", "--json");
    expect(out.remote).toMatchObject({ removed: 1, removedBytes: 1000, abortedUploads: 1 });
    const uploads = await server.client().send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(uploads.Uploads ?? []).toHaveLength(0);
    const keys = await remoteKeys();
    expect(keys).not.toContain(keyOf(hashes.stray!));
    for (const name of ["a.bin@v1", "a.bin", "b.bin"]) expect(keys).toContain(keyOf(hashes[name]!));
  }, 60_000);

  it("by default keeps only the working tree and HEAD", async () => {
    const out = await cli("gc", "--remote", "team", "--grace", "0", "--uploads-older-than", "0", "--json");
    expect(out.remote).toMatchObject({ removed: 2, removedBytes: 5000, abortedUploads: 0 });
    const keys = await remoteKeys();
    // a.bin v2, the data manifest and its three files remain.
    expect(keys).toHaveLength(5);
    expect(keys).toContain(keyOf(hashes["a.bin"]!));
    // What HEAD needs is still whole: fetch into an empty store verifies every object.
    rmSync(join(repo, ".trainyard", "store"), { recursive: true, force: true });
    expect(await cli("fetch", "--json")).toMatchObject({ transferred: 5 });
  }, 60_000);
});
