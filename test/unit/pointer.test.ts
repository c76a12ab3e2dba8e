import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import { oidFromHex } from "../../src/core/oid.js";
import { type Pointer, parsePointer, pointerPathFor, serializePointer } from "../../src/core/pointer.js";

const HASH = oidFromHex("ab".repeat(32));

function errorOf(fn: () => unknown): TrainyardError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TrainyardError);
    return error as TrainyardError;
  }
  throw new Error("expected an error");
}

const pathArb = fc
  .array(
    fc.stringMatching(/^[^/\\\0]{1,12}$/).filter((s) => s !== "." && s !== ".."),
    { minLength: 1, maxLength: 3 },
  )
  .map((parts) => parts.join("/"))
  .filter((p) => !/^[A-Za-z]:/.test(p));
const pointerArb: fc.Arbitrary<Pointer> = fc.oneof(
  fc.record({
    path: pathArb,
    hash: fc.stringMatching(/^[0-9a-f]{64}$/).map(oidFromHex),
    size: fc.nat(),
    files: fc.nat(),
  }),
  fc.record({
    path: pathArb,
    hash: fc.stringMatching(/^[0-9a-f]{64}$/).map(oidFromHex),
    size: fc.nat(),
    mode: fc.integer({ min: 0, max: 0o777 }),
  }),
);

describe("pointer files", () => {
  it("serialises the documented format", () => {
    expect(serializePointer({ path: "raw", hash: HASH, size: 104857600, files: 1200 })).toBe(
      `path: raw\nhash: ${HASH}\nsize: 104857600\nfiles: 1200\n`,
    );
    expect(serializePointer({ path: "run.sh", hash: HASH, size: 3, mode: 0o755 })).toBe(
      `path: run.sh\nhash: ${HASH}\nsize: 3\nmode: "755"\n`,
    );
    expect(serializePointer({ path: "a.csv", hash: HASH, size: 3, mode: 0o644 })).toBe(
      `path: a.csv\nhash: ${HASH}\nsize: 3\n`,
    );
    expect(pointerPathFor("data/raw")).toBe("data/raw.ty");
  });

  it("round-trips any pointer, including odd file names (property)", () => {
    fc.assert(
      fc.property(pointerArb, (pointer) => {
        const parsed = parsePointer(serializePointer(pointer), "x.ty");
        const expected = { ...pointer };
        if (expected.mode === 0o644) delete expected.mode;
        expect(parsed).toEqual(expected);
      }),
    );
  });

  it("never throws anything but a TrainyardError on arbitrary text (property)", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parsePointer(text, "x.ty");
        } catch (error) {
          expect(error).toBeInstanceOf(TrainyardError);
        }
      }),
    );
  });

  it("names file, line, column for invalid YAML", () => {
    const error = errorOf(() => parsePointer(`path: raw\nhash: [unclosed\nsize: 3\n`, "data/raw.ty"));
    expect(error.code).toBe("pointer");
    expect(error.message).toMatch(/^data\/raw\.ty:\d+:\d+: invalid YAML/);
  });

  it("names file:line:col and key for a bad value", () => {
    const error = errorOf(() => parsePointer(`path: raw\nhash: ${HASH}\nsize: -4\n`, "data/raw.ty"));
    expect(error.message).toBe("data/raw.ty:3:7 (key size): expected a non-negative integer");
    const badHash = errorOf(() => parsePointer(`path: raw\nhash: sha1:abc\nsize: 4\n`, "data/raw.ty"));
    expect(badHash.message).toBe(
      'data/raw.ty:2:7 (key hash): invalid hash "sha1:abc": expected "sha256:" followed by 64 lowercase hex digits',
    );
  });

  it("refuses unknown and missing keys with their location", () => {
    expect(
      errorOf(() => parsePointer(`path: raw\nhash: ${HASH}\nsize: 1\nowner: me\n`, "p.ty")).message,
    ).toBe("p.ty:4:8 (key owner): unknown key; expected one of path, hash, size, files, mode, source");
    expect(errorOf(() => parsePointer(`path: raw\nsize: 1\n`, "p.ty")).message).toBe(
      'p.ty:1:1 (key hash): missing required key "hash"',
    );
    expect(errorOf(() => parsePointer("- a\n- b\n", "p.ty")).message).toBe(
      "p.ty:1:1: expected a mapping with path, hash and size",
    );
  });

  it.each(["../secret", "/etc/passwd", "a/../../b", "sub\\..\\..\\x"])(
    "refuses path traversal %j",
    (path) => {
      const error = errorOf(() =>
        parsePointer(`path: ${JSON.stringify(path)}\nhash: ${HASH}\nsize: 1\n`, "data/x.ty"),
      );
      expect(error.code).toBe("path");
      expect(error.message).toMatch(
        /^data\/x\.ty:1:7 \(key path\): path .* a pointer may only name data inside its own folder$/,
      );
    },
  );
});
