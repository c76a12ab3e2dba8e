import { describe, expect, it } from "vitest";
import { assertSafeRelativePath, isInsideDir, unsafePathReason } from "../../src/core/safe-path.js";

describe("safe relative paths", () => {
  it.each([
    ["data/raw", undefined],
    ["a", undefined],
    ["x/y/z.csv", undefined],
    ["..hidden-but-fine", undefined],
    ["", "is empty"],
    ["/etc/passwd", "is absolute"],
    ["C:/x", "starts with a drive letter"],
    ["../up", "escapes its folder with .."],
    ["a/../../b", "escapes its folder with .."],
    ["a/..", "escapes its folder with .."],
    ["a\\b", "contains a backslash (use / as the separator)"],
    ["a\0b", "contains a NUL byte"],
    ["./a", "contains a . segment"],
    ["a//b", "contains an empty segment (// or a trailing /)"],
    ["a/", "contains an empty segment (// or a trailing /)"],
  ])("%j → %s", (path, reason) => {
    expect(unsafePathReason(path)).toBe(reason);
  });

  it("throws a path error naming the path", () => {
    expect(() => assertSafeRelativePath("../x")).toThrow(
      'path "../x" escapes its folder with ..; expected a relative path inside its folder',
    );
  });

  it("checks containment on whole segments", () => {
    expect(isInsideDir("/r/data", "/r/data/x")).toBe(true);
    expect(isInsideDir("/r/data", "/r/data")).toBe(true);
    expect(isInsideDir("/r/data", "/r/data2/x")).toBe(false);
  });
});
