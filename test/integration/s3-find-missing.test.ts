/**
 * Finding what the remote lacks, against moto: a small push sends one HEAD per object; a large one
 * lists only the 2-hex shards its objects fall into — never the whole bucket.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStore } from "../../src/io/local-store.js";
import type { RemoteObject } from "../../src/io/remote/remote.js";
import { createS3Remote } from "../../src/io/remote/s3-remote.js";
import { pushObjects } from "../../src/io/remote/transfer.js";
import { type S3TestServer, startS3Server } from "../helpers/s3-server.js";

describe("findMissing strategy", () => {
  let server: S3TestServer;
  let dir: string;
  let store: LocalStore;
  const objects: RemoteObject[] = [];

  beforeAll(async () => {
    server = await startS3Server(["missing"]);
    Object.assign(process.env, server.env);
    dir = mkdtempSync(join(tmpdir(), "ty-s3-missing-"));
    store = new LocalStore(join(dir, "store"));
    for (let i = 0; i < 400; i++) {
      const bytes = randomBytes(64);
      objects.push({ oid: await store.putBytes(bytes), size: bytes.length });
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("HEADs each object of a small set and lists the shards of a large one", async () => {
    const requests: { command: string; input: Record<string, unknown> }[] = [];
    const remote = createS3Remote(
      { name: "team", url: "s3://missing/p", endpoint: server.endpoint },
      { headThreshold: 128, onRequest: (command, input) => requests.push({ command, input }) },
    );
    try {
      const few = objects.slice(0, 10);
      expect(await remote.findMissing(few)).toEqual(few);
      expect(requests.map((r) => r.command)).toEqual(Array(10).fill("HeadObjectCommand"));

      await pushObjects(remote, store, objects.slice(0, 300), { jobs: 8 });
      requests.length = 0;
      const missing = await remote.findMissing(objects);
      expect(missing.map((o) => o.oid).sort()).toEqual(
        objects
          .slice(300)
          .map((o) => o.oid)
          .sort(),
      );
      const lists = requests.filter((r) => r.command === "ListObjectsV2Command");
      expect(requests.length).toBe(lists.length);
      const shards = new Set(objects.map((o) => o.oid.slice(7, 9)));
      expect(lists.length).toBe(shards.size);
      for (const list of lists)
        expect(String(list.input.Prefix)).toMatch(/^p\/objects\/sha256\/[0-9a-f]{2}\/$/);
    } finally {
      remote.close();
    }
  }, 120_000);
});
