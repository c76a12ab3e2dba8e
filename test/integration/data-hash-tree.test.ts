/**
 * The fast paths of hashTree give exactly the id and the file changes a full rebuild gives: the
 * unchanged-tree path (walk signature) and the splice path (only some top-level folders changed,
 * applied to the recorded manifest text, repeatedly so shifted ranges are exercised too).
 */
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashFile, hashTree, StatCache } from "../../src/io/hashing/index.js";
import { withWorkerPool } from "../../src/io/hashing/hash-files-parallel.js";
import { walkTree } from "../../src/io/hashing/walk-tree.js";
import { LocalStore } from "../../src/io/store/index.js";
import { makeTempRepo, type TempRepo } from "../helpers/temp-repo.js";

let tmp: TempRepo;
let tree: string;
let store: LocalStore;
let cacheFile: string;
beforeEach(() => {
  tmp = makeTempRepo({ git: false });
  tree = join(tmp.dir, "tree");
  store = new LocalStore(join(tmp.dir, "store"));
  cacheFile = join(tmp.dir, "cache.bin");
  for (let d = 0; d < 8; d++) {
    mkdirSync(join(tree, `d${d}`, "sub"), { recursive: true });
    for (let f = 0; f < 5; f++)
      writeFileSync(join(tree, `d${d}`, f % 2 ? "sub" : ".", `f${f}.txt`), `d${d} f${f}\n`);
  }
  writeFileSync(join(tree, "top.txt"), "top-level file\n");
});
afterEach(() => tmp.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each round runs as a new process would: a freshly loaded cache, saved at the end. */
async function statusRound() {
  const cache = StatCache.load(cacheFile);
  const result = await hashTree(tree, { cache, cacheKey: "tree", baseStore: store });
  await cache.save();
  return result;
}

/** As `trainyard add` does: objects and the manifest go into the store, the record moves on. */
async function addRound() {
  const cache = StatCache.load(cacheFile);
  const result = await hashTree(tree, { cache, cacheKey: "tree", store });
  await cache.save();
  return result;
}

describe("hashTree fast paths", () => {
  it("agree with a full rebuild after every round of changes", async () => {
    await sleep(40); // let the files age past the racy window before the first save
    const cache = StatCache.load(cacheFile);
    const first = await hashTree(tree, { cache, cacheKey: "tree", store });
    await cache.save();
    expect(first.fileCount).toBe(41);

    await sleep(40);
    const unchanged = await statusRound();
    expect(unchanged).toMatchObject({ oid: first.oid, hashedFiles: 0 });
    expect(unchanged.entries).toBeUndefined();

    // Early and late folders alternate, so the recorded ranges after a changed folder must shift.
    const folders = [3, 0, 6, 1, 7, 4, 3, 0];
    let previous = first.oid;
    for (const [round, d] of folders.entries()) {
      const kind = round % 3;
      let expected: { added: string[]; deleted: string[]; modified: string[] };
      if (kind === 0) {
        appendFileSync(join(tree, `d${d}`, "f0.txt"), `round ${round}\n`);
        expected = { added: [], deleted: [], modified: [`d${d}/f0.txt`] };
      } else if (kind === 1) {
        writeFileSync(join(tree, `d${d}`, "sub", `new${round}.txt`), "new\n");
        expected = { added: [`d${d}/sub/new${round}.txt`], deleted: [], modified: [] };
      } else {
        rmSync(join(tree, `d${d}`, "sub", "f1.txt"));
        writeFileSync(join(tree, `d${d}`, "sub", "f1.txt.bak"), "moved\n");
        expected = { added: [`d${d}/sub/f1.txt.bak`], deleted: [`d${d}/sub/f1.txt`], modified: [] };
      }
      await sleep(40);
      const fast = await statusRound();
      const full = await hashTree(tree, { cacheKey: "tree", needEntries: true });
      expect(fast.oid).toBe(full.oid);
      expect(fast.size).toBe(full.size);
      expect(fast.changes?.base).toBe(previous);
      expect(fast.changes?.diff).toEqual(expected);
      expect(fast.hashedFiles).toBeLessThanOrEqual(7);
      // Status again: the manifest is not in the store, so the same splice answers again.
      await sleep(40);
      expect((await statusRound()).changes).toEqual(fast.changes);
      const added = await addRound();
      expect(added.oid).toBe(full.oid);
      expect(store.has(added.oid)).toBe(true);
      previous = added.oid;
    }
  });

  it("falls back to a full rebuild when top-level files change", async () => {
    await sleep(40);
    const cache = StatCache.load(cacheFile);
    await hashTree(tree, { cache, cacheKey: "tree", store });
    await cache.save();
    await sleep(40);
    writeFileSync(join(tree, "top.txt"), "changed top-level file\n");
    const result = await statusRound();
    expect(result.changes).toBeUndefined();
    expect(result.entries).toHaveLength(41);
    expect(result.oid).toBe((await hashTree(tree, { cacheKey: "tree" })).oid);
  });
});

describe("hashing at chunk boundaries", () => {
  it("worker pool, copy-while-hashing and the pipelined reader agree with node:crypto", async () => {
    const MiB = 1024 * 1024;
    const sizes = [0, 1, 4095, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 8 * MiB, 9 * MiB + 3];
    const files = sizes.map((n, i) => {
      const path = join(tmp.dir, `f${i}`);
      writeFileSync(path, Buffer.alloc(n, i + 1));
      return path;
    });
    const expected = files.map((f) => createHash("sha256").update(readFileSync(f)).digest("hex"));
    const jobs = files.map((src, i) => ({
      src,
      ...(i % 2 ? { tmp: join(tmp.dir, `copy${i}`), sync: false } : {}),
    }));
    const results = await withWorkerPool((pool) => pool.hash(jobs), 2);
    expect(results).toEqual(sizes.map((size, i) => ({ hex: expected[i], size })));
    for (const [i, job] of jobs.entries())
      if (job.tmp) expect(readFileSync(job.tmp).equals(readFileSync(files[i]!))).toBe(true);
    for (const [i, f] of files.entries())
      expect(await hashFile(f)).toEqual({ oid: `sha256:${expected[i]}`, size: sizes[i] });
  });
});

describe("parallel walk", () => {
  it("lists the same files, in the same order, with the same signature as the sequential walk", async () => {
    const flat = join(tmp.dir, "flat");
    mkdirSync(join(flat, "a-b", "c"), { recursive: true });
    mkdirSync(join(flat, "a", "x"), { recursive: true });
    // More than one 2048-name chunk of top-level files, interleaved in sort order with folders.
    for (let i = 0; i < 2100; i++) writeFileSync(join(flat, `a${i % 3 ? "." : "-"}${i}`), String(i));
    writeFileSync(join(flat, "a-b", "c", "deep"), "deep");
    writeFileSync(join(flat, "a", "x", "y"), "y");
    writeFileSync(join(flat, "a", "z"), "z");
    const sequential = await walkTree(flat, {});
    const parallel = await withWorkerPool((pool) => walkTree(flat, { pool, expectedFiles: 100_000 }), 2);
    expect(parallel.signature).toBe(sequential.signature);
    expect(parallel.segments).toEqual(sequential.segments);
    expect(parallel.count).toBe(2103);
    const paths = parallel.files().map((f) => f.path);
    expect(paths).toEqual(sequential.files().map((f) => f.path));
    expect(paths).toEqual([...paths].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(sequential.segments.map((seg) => seg.id)).toEqual(["a-b/", "a/", "#0", "#1"]);
  });
});
