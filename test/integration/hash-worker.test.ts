/**
 * The worker threads and the calling thread run the same typed hashing core: a file hashed by
 * the pool, by hashFileSync and by node's crypto agree, and a walk on a worker equals the walk
 * on this thread (same paths, stats and segment signatures).
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_CHUNK_BYTES, walkFolders } from "../../src/io/hashing/hash-core.js";
import { hashFileSync } from "../../src/io/hashing/hash-file.js";
import { withWorkerPool } from "../../src/io/hashing/hash-files-parallel.js";
import { decodeSegments, encodeSegments } from "../../src/io/hashing/segment-records.js";

let dir: string;
const sizes = [0, 1, CORE_CHUNK_BYTES - 1, CORE_CHUNK_BYTES, CORE_CHUNK_BYTES + 1];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ty-hash-worker-"));
  for (const size of sizes) writeFileSync(join(dir, `f${size}`), Buffer.alloc(size, size % 251));
  mkdirSync(join(dir, "tree/b"), { recursive: true });
  for (const name of ["tree/a.txt", "tree/b/c.txt", "tree/b/ü.txt"]) writeFileSync(join(dir, name), name);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the hashing worker", () => {
  it("hashes and copies like the calling thread, and reports a missing file as data", async () => {
    const jobs = sizes.map((size) => ({ src: join(dir, `f${size}`), tmp: join(dir, `copy${size}`) }));
    const results = await withWorkerPool((pool) => pool.hash([...jobs, { src: join(dir, "missing") }]), 2);
    for (const [i, size] of sizes.entries()) {
      const bytes = Buffer.alloc(size, size % 251);
      const hex = createHash("sha256").update(bytes).digest("hex");
      expect(results[i]).toEqual({ hex, size });
      expect(hashFileSync(join(dir, `f${size}`))).toEqual({ oid: `sha256:${hex}`, size });
      expect(hashFileSync(join(dir, `copy${size}`)).oid).toBe(`sha256:${hex}`);
    }
    expect(results.at(-1)).toMatchObject({ error: { code: "ENOENT" } });
  });

  it("walks a folder exactly as this thread does", async () => {
    const share = { dirs: ["tree"], fileChunks: [{ id: "#0", names: sizes.map((s) => `f${s}`) }] };
    const onWorker = await withWorkerPool((pool) => pool.walk(0, dir, share), 1);
    const here = walkFolders(dir, share);
    expect(onWorker).toEqual(here);
    expect(here.paths.split("\0").slice(0, 3)).toEqual(["tree/a.txt", "tree/b/c.txt", "tree/b/ü.txt"]);
  });
});

describe("segment records in the stat cache", () => {
  it("round-trip, and anything else decodes to undefined (the tree is rebuilt)", () => {
    const records = [{ id: "a/", sig: "x", count: 2, maxMtimeNs: 12345678901234567890n, start: 1, end: 9 }];
    expect(decodeSegments(encodeSegments(records))).toEqual(records);
    for (const bad of [
      "",
      "{}",
      "[1]",
      '[["a/","x",2,"1.5",1,9]]',
      '[["a/","x","2","1",1,9]]',
      '[["a/","x",2,"1",1]]',
    ]) {
      expect(decodeSegments(bad)).toBeUndefined();
    }
  });
});
