/**
 * Finding what the remote lacks, against moto: a small push sends one HEAD per object; a large one
 * lists the remote's objects/ prefix while that takes fewer pages than there are shards to look
 * at, and otherwise lists only the 2-hex shards its objects fall into — never the whole bucket.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStore } from "../../src/io/store/index.js";
import type { RemoteObject } from "../../src/io/remote/remote.js";
import { createS3Remote } from "../../src/io/remote/s3-remote.js";
import { pushObjects } from "../../src/io/remote/transfer.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

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

  it("HEADs each object of a small set and lists the prefix for a large one", async () => {
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
      // 300 keys on the remote: one page of the whole objects/ prefix answers for all 400.
      expect(requests.map((r) => [r.command, r.input.Prefix])).toEqual([
        ["ListObjectsV2Command", "p/objects/sha256/"],
      ]);
    } finally {
      remote.close();
    }
  }, 120_000);

  it("switches to listing shards when the whole prefix would take more pages than there are shards", async () => {
    const requests: { command: string; input: Record<string, unknown> }[] = [];
    // Ten keys a page: the 300 objects on the remote need 30 pages, more than the shards of 20 objects.
    const remote = createS3Remote(
      { name: "team", url: "s3://missing/p", endpoint: server.endpoint },
      {
        headThreshold: 5,
        listPageSize: 10,
        onRequest: (command, input) => requests.push({ command, input }),
      },
    );
    try {
      const wanted = [...objects.slice(290, 300), ...objects.slice(390)];
      const shards = new Set(wanted.map((o) => `p/objects/sha256/${o.oid.slice(7, 9)}/`));
      const missing = await remote.findMissing(wanted);
      expect(missing).toEqual(objects.slice(390));
      const prefixes = requests.map((r) => String(r.input.Prefix));
      // The budget: as many whole-prefix pages as there are shards, plus the one that overflows it.
      expect(prefixes.slice(0, shards.size + 1)).toEqual(Array(shards.size + 1).fill("p/objects/sha256/"));
      expect(new Set(prefixes.slice(shards.size + 1))).toEqual(shards);
    } finally {
      remote.close();
    }
  }, 60_000);
});
