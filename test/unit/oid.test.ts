import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import {
  isOid,
  oidFromHex,
  oidFromStoreKey,
  oidHex,
  oidStoreKey,
  parseOid,
  shortOid,
} from "../../src/core/oid.js";

const HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

describe("oid", () => {
  it("accepts exactly sha256: + 64 lowercase hex", () => {
    expect(isOid(`sha256:${HEX}`)).toBe(true);
    expect(isOid(`sha256:${HEX.toUpperCase()}`)).toBe(false);
    expect(isOid(`sha1:${HEX}`)).toBe(false);
    expect(isOid(`sha256:${HEX}0`)).toBe(false);
    expect(isOid(HEX)).toBe(false);
  });

  it("maps to the shared store key and back", () => {
    const oid = oidFromHex(HEX);
    expect(oidStoreKey(oid)).toBe(`objects/sha256/9f/${HEX.slice(2)}`);
    expect(oidFromStoreKey(oidStoreKey(oid))).toBe(oid);
    expect(oidFromStoreKey(`team/prefix/${oidStoreKey(oid)}`)).toBe(oid);
    expect(oidFromStoreKey("objects/sha256/9f/short")).toBeUndefined();
    expect(oidHex(oid)).toBe(HEX);
    expect(shortOid(oid)).toBe("sha256:9f86d081");
  });

  it("explains what was expected when parsing fails, with the location", () => {
    try {
      parseOid("md5:abc", "pointer", { file: "data.ty", line: 2, column: 7, key: "hash" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TrainyardError);
      expect((error as TrainyardError).message).toBe(
        'data.ty:2:7 (key hash): invalid hash "md5:abc": expected "sha256:" followed by 64 lowercase hex digits',
      );
    }
  });
});
