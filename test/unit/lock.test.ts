import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import {
  emptyLock,
  type Lock,
  type LockEntry,
  parseLock,
  serializeLock,
  withLockStage,
} from "../../src/core/lock.js";

const h = (c: string) => `sha256:${c.repeat(64)}`;
const entry = (path: string, c: string, size = 1, files?: number): LockEntry => ({
  path,
  hash: h(c),
  size,
  ...(files !== undefined ? { files } : {}),
});

const sample: Lock = {
  schema: 1,
  stages: {
    train: {
      cmd: "node train.js",
      fingerprint: h("f"),
      deps: [entry("train.js", "b", 10), entry("data", "a", 300, 3)],
      params: { "train.trees": 10, train: { z: 1, a: [1, 2] } },
      outs: [entry("model.json", "c", 20)],
      metrics: [],
      plots: [],
    },
    prepare: {
      cmd: "node p.js",
      fingerprint: h("e"),
      deps: [],
      params: {},
      outs: [entry("data", "a", 300, 3)],
      metrics: [],
      plots: [],
    },
  },
};

describe("trainyard.lock", () => {
  it("serialises with sorted stages, sorted paths, fixed field order, no empty lists", () => {
    expect(serializeLock(sample)).toBe(`# Written by \`trainyard run\`. Commit it; do not edit by hand.
schema: 1
stages:
  prepare:
    cmd: node p.js
    fingerprint: ${h("e")}
    outs:
      - path: data
        hash: ${h("a")}
        size: 300
        files: 3
  train:
    cmd: node train.js
    fingerprint: ${h("f")}
    deps:
      - path: data
        hash: ${h("a")}
        size: 300
        files: 3
      - path: train.js
        hash: ${h("b")}
        size: 10
    params:
      train:
        a:
          - 1
          - 2
        z: 1
      train.trees: 10
    outs:
      - path: model.json
        hash: ${h("c")}
        size: 20
`);
  });

  it("changing one stage changes only that stage's lines", () => {
    const before = serializeLock(sample).split("\n");
    const next = withLockStage(sample, "prepare", { ...sample.stages.prepare!, cmd: "node p2.js" });
    const after = serializeLock(next).split("\n");
    expect(after.length).toBe(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(["    cmd: node p2.js"]);
  });

  it("parses what it writes; an empty file is an empty lock", () => {
    expect(serializeLock(parseLock(serializeLock(sample)))).toBe(serializeLock(sample));
    expect(parseLock("")).toEqual(emptyLock());
  });

  it("names file, line, column and key for bad entries", () => {
    const bad =
      "schema: 1\nstages:\n  a:\n    cmd: x\n    fingerprint: sha256:zz\n    deps:\n      - path: a\n        hash: md5:1\n        size: -1\n";
    try {
      parseLock(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrainyardError);
      expect((e as TrainyardError).message.split("\n")).toEqual([
        'trainyard.lock:5:18 (key stages.a.fingerprint): expected a hash of the form sha256:<64 hex digits>, got the string "sha256:zz"',
        'trainyard.lock:8:15 (key stages.a.deps[0].hash): expected a hash of the form sha256:<64 hex digits>, got the string "md5:1"',
        "trainyard.lock:9:15 (key stages.a.deps[0].size): must be >= 0, got number -1",
      ]);
    }
    expect(() => parseLock("schema: 2\n")).toThrow(/trainyard\.lock:1:9 \(key schema\)/);
  });

  const hashArb = fc.stringMatching(/^[0-9a-f]{64}$/).map((x) => `sha256:${x}`);
  const entryArb = fc.record(
    { path: fc.string({ minLength: 1, maxLength: 12 }), hash: hashArb, size: fc.nat(), files: fc.nat() },
    { requiredKeys: ["path", "hash", "size"] },
  );
  const uniqueEntries = fc.uniqueArray(entryArb, { selector: (e) => e.path, maxLength: 4 });
  const stageArb = fc.record({
    cmd: fc.string({ maxLength: 20 }),
    fingerprint: hashArb,
    deps: uniqueEntries,
    params: fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
    ),
    outs: uniqueEntries,
    metrics: uniqueEntries,
    plots: uniqueEntries,
  });
  const lockArb = fc.record({
    schema: fc.constant(1 as const),
    stages: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), stageArb, { maxKeys: 3 }),
  });

  it("round-trips any lock through serialise → parse (property)", () => {
    fc.assert(
      fc.property(lockArb, (lock) => {
        const text = serializeLock(lock);
        expect(serializeLock(parseLock(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it("never throws anything but TrainyardError on arbitrary text (property)", () => {
    const mutated = fc.tuple(lockArb, fc.nat(), fc.string({ maxLength: 8 })).map(([lock, at, junk]) => {
      const text = serializeLock(lock);
      const i = at % (text.length + 1);
      return text.slice(0, i) + junk + text.slice(i);
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutated), (text) => {
        try {
          parseLock(text);
        } catch (e) {
          expect(e).toBeInstanceOf(TrainyardError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
