import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import { formatKeyPath, parseYamlWithPositions } from "../../src/core/yaml-document.js";

describe("parseYamlWithPositions", () => {
  it("locates a nested key by line and column", () => {
    const doc = parseYamlWithPositions("a:\n  b:\n    - x\n    - y\n", "f.yaml", "config");
    expect(doc.value).toEqual({ a: { b: ["x", "y"] } });
    expect(doc.locate(["a", "b", 1])).toEqual({ file: "f.yaml", line: 4, column: 7, key: "a.b[1]" });
  });

  it("falls back to the nearest existing ancestor for a missing key", () => {
    const doc = parseYamlWithPositions("a:\n  b: 1\n", "f.yaml", "config");
    expect(doc.locate(["a", "c"])).toMatchObject({ line: 2, key: "a.c" });
  });

  it("reports syntax errors with file, line and column", () => {
    try {
      parseYamlWithPositions("a: [1, 2\nb: 3\n", "bad.yaml", "config");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrainyardError);
      expect((e as TrainyardError).message).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML/);
    }
  });

  it("rejects duplicate keys", () => {
    expect(() => parseYamlWithPositions("a: 1\na: 2\n", "d.yaml", "config")).toThrow(/d\.yaml:2:1/);
  });

  it("formats key paths", () => {
    expect(formatKeyPath(["stages", "train", "deps", 0])).toBe("stages.train.deps[0]");
  });
});
