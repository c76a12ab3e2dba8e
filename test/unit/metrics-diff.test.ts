import { describe, expect, it } from "vitest";
import {
  diffFiles,
  diffRecords,
  formatDelta,
  formatRelative,
  summarizeDiff,
} from "../../src/core/metrics/index.js";

describe("diffRecords", () => {
  it("gives old, new, absolute delta and relative change", () => {
    const [row] = diffRecords("m.json", { accuracy: 0.9 }, { accuracy: 0.945 });
    expect(row).toMatchObject({ key: "accuracy", old: 0.9, new: 0.945, status: "changed" });
    expect(row?.delta).toBeCloseTo(0.045, 12);
    expect(row?.relative).toBeCloseTo(0.05, 12);
  });

  it("marks added and removed keys and keeps unchanged ones only when asked", () => {
    const rows = diffRecords("m.json", { a: 1, gone: 2, same: 3 }, { a: 1.5, fresh: 4, same: 3 });
    expect(rows.map((r) => [r.key, r.status])).toEqual([
      ["a", "changed"],
      ["fresh", "added"],
      ["gone", "removed"],
      ["same", "unchanged"],
    ]);
    expect(
      diffRecords("m", { same: 3, x: 1 }, { same: 3, x: 2 }, { includeUnchanged: false }).map((r) => r.key),
    ).toEqual(["x"]);
  });

  it("has no relative change from zero, and treats NaN → NaN as unchanged", () => {
    const rows = diffRecords("m", { z: 0, n: Number.NaN }, { z: 2, n: Number.NaN });
    expect(rows.find((r) => r.key === "z")).toMatchObject({ delta: 2, status: "changed" });
    expect(rows.find((r) => r.key === "z")?.relative).toBeUndefined();
    expect(rows.find((r) => r.key === "n")?.status).toBe("unchanged");
  });

  it("diffs strings without a numeric delta and numeric strings with one", () => {
    const rows = diffRecords("p", { opt: "adam", lr: "0.1" }, { opt: "sgd", lr: "0.2" });
    expect(rows.find((r) => r.key === "opt")).toEqual({
      file: "p",
      key: "opt",
      old: "adam",
      new: "sgd",
      status: "changed",
    });
    expect(rows.find((r) => r.key === "lr")?.delta).toBeCloseTo(0.1);
  });

  it("diffs whole files, one side missing", () => {
    const rows = diffFiles({ "a.json": { x: 1 } }, { "a.json": { x: 1 }, "b.json": { y: 2 } });
    expect(summarizeDiff(rows)).toEqual({ added: 1, removed: 0, changed: 0, unchanged: 1 });
    expect(rows[1]).toMatchObject({ file: "b.json", key: "y", status: "added" });
  });

  it("formats deltas and percentages for people", () => {
    expect(formatDelta(0.0123456)).toBe("+0.0123");
    expect(formatDelta(-2)).toBe("-2");
    expect(formatRelative(0.05)).toBe("+5.0%");
    expect(formatRelative(-0.001)).toBe("-0.10%");
    expect(formatRelative(undefined)).toBe("");
  });
});
