/**
 * A multipart S3 object carries only a composite checksum (a hash of part hashes), which no
 * client can check against the whole content. Every object Trainyard uploads also carries its
 * whole-object sha256 as user metadata, so the AWS CLI's `head-object` (or any S3 client) can
 * verify it; checked here with the real AWS CLI against moto.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemoteObject } from "../../src/io/remote/remote.js";
import { createS3Remote } from "../../src/io/remote/s3-remote.js";
import { pushObjects } from "../../src/io/remote/transfer.js";
import { LocalStore } from "../../src/io/store/index.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

const BUCKET = "metadata";
const PART = 5 * 1024 * 1024;

describe("whole-object sha256 in S3 metadata", () => {
  let server: S3TestServer;
  let dir: string;
  const objects: RemoteObject[] = [];

  beforeAll(async () => {
    server = await startS3Server([BUCKET]);
    Object.assign(process.env, server.env);
    dir = mkdtempSync(join(tmpdir(), "ty-s3-meta-"));
    const store = new LocalStore(join(dir, "store"));
    for (const size of [300, 2 * PART + 4321]) {
      const bytes = randomBytes(size);
      objects.push({ oid: await store.putBytes(bytes), size });
    }
    const remote = createS3Remote(
      { name: "team", url: `s3://${BUCKET}/p`, endpoint: server.endpoint },
      { partSize: PART, multipartThreshold: PART },
    );
    try {
      await pushObjects(remote, store, objects, { jobs: 2 });
    } finally {
      remote.close();
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const aws = (args: string[]) => {
    const run = spawnSync("aws", ["--endpoint-url", server.endpoint, ...args], {
      env: { ...process.env, ...server.env },
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    return run.stdout;
  };

  it("aws s3api head-object shows the sha256 of the whole content, multipart or not", () => {
    for (const object of objects) {
      const hex = object.oid.replace(/^sha256:/, "");
      const key = `p/objects/sha256/${hex.slice(0, 2)}/${hex.slice(2)}`;
      const head = JSON.parse(aws(["s3api", "head-object", "--bucket", BUCKET, "--key", key]));
      expect(head.Metadata).toEqual({ sha256: hex });
      expect(head.ContentLength).toBe(object.size);
      if (object.size > PART) expect(head.ETag).toMatch(/-3"?$/); // really multipart
      const file = join(dir, hex);
      aws(["s3api", "get-object", "--bucket", BUCKET, "--key", key, file]);
      expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(head.Metadata.sha256);
    }
  }, 120_000);
});
