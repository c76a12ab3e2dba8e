import fc from "fast-check";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { oidFromHex } from "../../src/core/oid.js";
import { StatCache } from "../../src/io/hashing/index.js";

const OID = oidFromHex("cd".repeat(32));
const OLD = { ino: 42, size: 1000, mtimeNs: 1_600_000_000_123_456_789n };

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "trainyard-statcache-"));
  file = join(dir, "cache", "stat-cache.bin");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function savedCache(): Promise<void> {
  const cache = StatCache.load(file);
  cache.set("data/a.csv", OLD, OID);
  cache.set("data/é/b.csv", { ...OLD, ino: 43 }, OID);
  cache.setTree("data", {
    signature: "ef".repeat(32),
    oid: OID,
    size: 2000,
    maxMtimeNs: OLD.mtimeNs,
    segments: "[]",
  });
  await cache.save();
}

describe("stat cache", () => {
  it("answers for an unchanged file after a save/load round trip, and not for a changed one", async () => {
    await savedCache();
    const cache = StatCache.load(file);
    expect(cache.rebuilt).toBe(false);
    expect(cache.size).toBe(2);
    expect(cache.get("data/a.csv", OLD)).toBe(OID);
    expect(cache.get("data/é/b.csv", { ...OLD, ino: 43 })).toBe(OID);
    expect(cache.get("data/a.csv", { ...OLD, size: 1001 })).toBeUndefined();
    expect(cache.get("data/a.csv", { ...OLD, ino: 7 })).toBeUndefined();
    expect(cache.get("data/a.csv", { ...OLD, mtimeNs: OLD.mtimeNs + 1n })).toBeUndefined();
    expect(cache.get("data/other.csv", OLD)).toBeUndefined();
    expect(cache.getTree("data", "ef".repeat(32), OLD.mtimeNs)?.oid).toBe(OID);
    expect(cache.getTree("data", "00".repeat(32), OLD.mtimeNs)).toBeUndefined();
  });

  it("is compact: 96-byte header, then 56 bytes plus the path per file (86 + segments per folder record)", async () => {
    await savedCache();
    const bytes = statSync(file).size;
    expect(bytes).toBe(96 + (2 + 4 + 84 + 2) + (2 + 10 + 56) + (2 + 13 + 56));
  });

  it("answers folder records without reading the file section, and checks that section when it is read", async () => {
    await savedCache();
    // Damage the last file entry: the folder record is still answered (its section has its own
    // sum), and the damage shows as soon as a file entry is needed.
    flip(file, statSync(file).size - 3);
    const cache = StatCache.load(file);
    expect(cache.lastTree("data")?.oid).toBe(OID);
    expect(cache.get("data/a.csv", OLD)).toBeUndefined();
    expect(cache.rebuilt).toBe(true);
    expect(cache.size).toBe(0);
    expect(cache.lastTree("data")?.oid).toBe(OID);
    cache.close();
  });

  it("reads the file section of the version it loaded, even when the file is replaced meanwhile", async () => {
    await savedCache();
    const cache = StatCache.load(file);
    rmSync(file); // another command's atomic save would rename a new file over it
    writeFileSync(file, "something else entirely");
    expect(cache.get("data/a.csv", OLD)).toBe(OID);
    expect(cache.rebuilt).toBe(false);
  });

  it("still reads a cache written in the previous layout (TYSTAT04)", () => {
    // Built by hand: header | one folder record | one file entry, with one sum over both.
    const key = Buffer.from("data");
    const segments = Buffer.from("[]");
    const tree = Buffer.alloc(2 + key.length + 84 + segments.length);
    let at = tree.writeUInt16LE(key.length, 0);
    at += key.copy(tree, at);
    at += tree.write("ef".repeat(32), at, 32, "hex");
    at += tree.write("cd".repeat(32), at, 32, "hex");
    at = tree.writeDoubleLE(2000, at);
    at = tree.writeBigInt64LE(OLD.mtimeNs, at);
    at = tree.writeUInt32LE(segments.length, at);
    segments.copy(tree, at);
    const path = Buffer.from("data/a.csv");
    const entry = Buffer.alloc(2 + path.length + 56);
    at = entry.writeUInt16LE(path.length, 0);
    at += path.copy(entry, at);
    at = entry.writeDoubleLE(OLD.ino, at);
    at = entry.writeDoubleLE(OLD.size, at);
    at = entry.writeBigInt64LE(OLD.mtimeNs, at);
    entry.write("cd".repeat(32), at, 32, "hex");
    const payload = Buffer.concat([tree, entry]);
    const header = Buffer.alloc(60);
    header.write("TYSTAT04", 0, "latin1");
    header.writeBigInt64LE(BigInt(Date.now()) * 1_000_000n, 8);
    header.writeUInt32LE(1, 16);
    header.writeUInt32LE(1, 20);
    header.writeUInt32LE(payload.length, 24);
    createHash("sha256").update(payload).digest().copy(header, 28);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.concat([header, payload]));
    const cache = StatCache.load(file);
    expect(cache.rebuilt).toBe(false);
    expect(cache.get("data/a.csv", OLD)).toBe(OID);
    expect(cache.lastTree("data")?.size).toBe(2000);
    expect(cache.isDirty).toBe(true); // so the next save writes the current layout
  });

  it.each([
    ["truncated (torn write)", (f: string) => truncateSync(f, statSync(f).size - 7)],
    ["a flipped byte in the payload", (f: string) => flip(f, statSync(f).size - 3)],
    ["a flipped byte in the header", (f: string) => flip(f, 17)],
    ["garbage", (f: string) => writeFileSync(f, "not a cache at all")],
    ["empty", (f: string) => writeFileSync(f, "")],
  ])("detects damage (%s) and rebuilds the cache instead of trusting it", async (_label, damage) => {
    await savedCache();
    damage(file);
    const cache = StatCache.load(file);
    expect(cache.rebuilt).toBe(true);
    expect(cache.size).toBe(0);
    expect(cache.get("data/a.csv", OLD)).toBeUndefined();
    await cache.save();
    const again = StatCache.load(file);
    expect(again.rebuilt).toBe(false);
    expect(again.size).toBe(0);
  });

  it("does not trust entries modified just before the save (racy timestamps)", async () => {
    const cache = StatCache.load(file);
    const fresh = { ...OLD, mtimeNs: BigInt(Date.now()) * 1_000_000n };
    cache.set("fresh.csv", fresh, OID);
    cache.set("old.csv", OLD, OID);
    await cache.save();
    const loaded = StatCache.load(file);
    expect(loaded.get("fresh.csv", fresh)).toBeUndefined();
    expect(loaded.get("old.csv", OLD)).toBe(OID);
    // Re-setting the racy entry marks the cache dirty so it is re-saved (and trusted later).
    loaded.set("fresh.csv", fresh, OID);
    expect(loaded.isDirty).toBe(true);
  });
});

describe("stat cache against a plain map (property)", () => {
  it("set/delete across save/load cycles always answers like the model", async () => {
    const name = fc.constantFrom("a", "b", "a/b", "a-b", "é", "z/é/x", "B", "a b", "ab", "日本");
    const op = fc.record({ path: name, remove: fc.boolean(), ino: fc.nat(1000), cycle: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        rmSync(file, { force: true });
        let cache = StatCache.load(file);
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.remove) {
            cache.delete(o.path);
            model.delete(o.path);
          } else {
            cache.set(o.path, { ...OLD, ino: o.ino }, OID);
            model.set(o.path, o.ino);
          }
          if (o.cycle) {
            await cache.save();
            cache = StatCache.load(file);
          }
        }
        expect(cache.size).toBe(model.size);
        await cache.save();
        cache = StatCache.load(file);
        expect(cache.size).toBe(model.size);
        for (const path of ["a", "b", "a/b", "a-b", "é", "z/é/x", "B", "a b", "ab", "日本"]) {
          const ino = model.get(path);
          expect(cache.get(path, { ...OLD, ino: ino ?? -1 })).toBe(ino === undefined ? undefined : OID);
        }
      }),
      { numRuns: 60 },
    );
  });
});

function flip(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] = bytes[offset]! ^ 0xff;
  writeFileSync(path, bytes);
}
