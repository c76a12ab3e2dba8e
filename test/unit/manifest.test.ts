import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import {
  diffManifests,
  type ManifestEntry,
  parseManifest,
  serializeManifest,
  sortManifest,
} from "../../src/core/manifest.js";
import { oidFromHex } from "../../src/core/oid.js";

const h = (c: string) => oidFromHex(c.repeat(64));

const segment = fc
  .stringMatching(/^[a-zA-Z0-9_][a-zA-Z0-9_.\- é]{0,8}$/)
  .filter((s) => s !== "." && s !== "..");
const entryArb = fc.record({
  path: fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/")),
  hash: fc.stringMatching(/^[0-9a-f]{64}$/).map(oidFromHex),
  size: fc.nat(),
  mode: fc.integer({ min: 0, max: 0o777 }),
});
/** Entries with unique paths and no file that is also a folder. */
const manifestArb = fc.uniqueArray(entryArb, { selector: (e) => e.path, maxLength: 30 }).map((entries) => {
  const paths = new Set(entries.map((e) => e.path));
  return entries.filter((e) => ![...paths].some((p) => p !== e.path && p.startsWith(`${e.path}/`)));
});

describe("manifest", () => {
  it("serialises canonically: sorted, fixed key order, stable bytes", () => {
    const entries: ManifestEntry[] = [
      { path: "b.csv", hash: h("b"), size: 2, mode: 0o644 },
      { path: "a/x.csv", hash: h("a"), size: 1, mode: 0o755 },
    ];
    const text = serializeManifest(entries);
    expect(text).toBe(
      `[{"path":"a/x.csv","hash":"${h("a")}","size":1,"mode":493},{"path":"b.csv","hash":"${h("b")}","size":2,"mode":420}]\n`,
    );
    expect(serializeManifest([...entries].reverse())).toBe(text);
  });

  it("round-trips any valid manifest (property)", () => {
    fc.assert(
      fc.property(manifestArb, (entries) => {
        const text = serializeManifest(entries);
        const parsed = parseManifest(text);
        expect(parsed).toEqual(sortManifest(entries));
        expect(serializeManifest(parsed)).toBe(text);
      }),
    );
  });

  it("never fails with anything but a TrainyardError on arbitrary input (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          parseManifest(text);
        } catch (error) {
          expect(error).toBeInstanceOf(TrainyardError);
        }
      }),
    );
  });

  it.each([
    ["../../etc/passwd", "escapes its folder"],
    ["/abs", "is absolute"],
    ["a/../../b", "escapes its folder"],
    ["a\\..\\b", "backslash"],
  ])("refuses traversal in entry path %j", (path, why) => {
    const text = JSON.stringify([{ path, hash: h("a"), size: 1, mode: 420 }]);
    expect(() => parseManifest(text, "objects/sha256/ab/cd")).toThrow(why);
    try {
      parseManifest(text);
    } catch (error) {
      expect((error as TrainyardError).code).toBe("path");
    }
  });

  it("refuses duplicates, disorder, a file used as a folder, bad fields and unknown keys", () => {
    const e = (path: string, extra: Record<string, unknown> = {}) => ({
      path,
      hash: h("a"),
      size: 1,
      mode: 420,
      ...extra,
    });
    expect(() => parseManifest(JSON.stringify([e("a"), e("a")]))).toThrow("duplicated or out of order");
    expect(() => parseManifest(JSON.stringify([e("b"), e("a")]))).toThrow("duplicated or out of order");
    expect(() => parseManifest(JSON.stringify([e("a"), e("a/b")]))).toThrow(
      '"a" is both a file and a folder',
    );
    expect(() => parseManifest(JSON.stringify([e("a", { size: -1 })]))).toThrow(
      '"size" must be a non-negative integer',
    );
    expect(() => parseManifest(JSON.stringify([e("a", { mode: 0o1000 })]))).toThrow(
      '"mode" must be permission bits',
    );
    expect(() => parseManifest(JSON.stringify([e("a", { hash: "sha256:zz" })]))).toThrow('"hash" must be');
    expect(() => parseManifest(JSON.stringify([e("a", { owner: "x" })]))).toThrow('unknown key "owner"');
    expect(() => parseManifest("{}")).toThrow("expected a JSON array");
    expect(() => parseManifest("[")).toThrow("not valid JSON");
  });

  it("diffs added, deleted and modified (content or mode) files", () => {
    const before: ManifestEntry[] = [
      { path: "a", hash: h("1"), size: 1, mode: 420 },
      { path: "b", hash: h("2"), size: 1, mode: 420 },
      { path: "c", hash: h("3"), size: 1, mode: 420 },
    ];
    const after: ManifestEntry[] = [
      { path: "a", hash: h("1"), size: 1, mode: 493 },
      { path: "c", hash: h("4"), size: 1, mode: 420 },
      { path: "d", hash: h("5"), size: 1, mode: 420 },
    ];
    expect(diffManifests(before, after)).toEqual({ added: ["d"], deleted: ["b"], modified: ["a", "c"] });
  });
});
