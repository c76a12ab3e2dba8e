/**
 * hashFile's two paths agree with node's crypto at every boundary: the synchronous one for small
 * files, and the overlapped one (positional reads in flight while a chunk is hashed, optional copy
 * in the same pass) for large files — sizes around the switch and around the chunk size, so a
 * dropped, repeated or reordered chunk would change the digest.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHUNK_BYTES, hashFile } from "../../src/io/hashing/hash-file.js";

let dir: string;
const sizes = [0, 1, 2 * CHUNK_BYTES - 1, 2 * CHUNK_BYTES, 3 * CHUNK_BYTES, 3 * CHUNK_BYTES + 7];
const content = new Map<number, Buffer>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ty-hash-file-"));
  const pool = randomBytes(3 * CHUNK_BYTES + 7);
  for (const size of sizes) {
    content.set(size, pool.subarray(0, size));
    writeFileSync(join(dir, `f${size}`), pool.subarray(0, size));
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hashFile", () => {
  it("hashes every size like crypto, and the copy holds the same bytes", async () => {
    for (const size of sizes) {
      const bytes = content.get(size)!;
      const oid = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
      let reported = 0;
      expect(await hashFile(join(dir, `f${size}`), { onBytes: (n) => (reported += n) })).toEqual({
        oid,
        size,
      });
      expect(reported).toBe(size);
      const copy = join(dir, `copy${size}`);
      expect(await hashFile(join(dir, `f${size}`), { copyTo: copy })).toEqual({ oid, size });
      expect(readFileSync(copy).equals(bytes)).toBe(true);
    }
  });

  it("refuses to overwrite an existing copy target and stops when aborted", async () => {
    const big = join(dir, `f${3 * CHUNK_BYTES}`);
    await expect(hashFile(big, { copyTo: join(dir, "f1") })).rejects.toMatchObject({ code: "EEXIST" });
    const controller = new AbortController();
    controller.abort();
    await expect(hashFile(big, { signal: controller.signal })).rejects.toThrow();
  });
});
