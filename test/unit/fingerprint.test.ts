import { describe, expect, it } from "vitest";
import type { StageConfig } from "../../src/core/config/schema.js";
import {
  describeReason,
  explainStage,
  type StageObservation,
  stageFingerprint,
} from "../../src/core/fingerprint.js";
import type { LockEntry, LockStage } from "../../src/core/lock.js";

const h = (c: string) => `sha256:${c.repeat(64)}`;
const e = (path: string, c: string): LockEntry => ({ path, hash: h(c), size: 1 });
const stage: StageConfig = {
  cmd: "node train.js",
  deps: ["train.js", "data/"],
  params: ["train.trees"],
  outs: ["model.json"],
  metrics: ["metrics.json"],
  plots: [],
};
const observe = (over: Partial<StageObservation> = {}): StageObservation => ({
  deps: new Map([
    ["train.js", e("train.js", "1")],
    ["data", e("data", "2")],
  ]),
  params: { train: { trees: 10, depth: 3 } },
  outs: new Map([
    ["model.json", e("model.json", "3")],
    ["metrics.json", e("metrics.json", "4")],
  ]),
  ...over,
});

function lockFor(seen: StageObservation): LockStage {
  const status = explainStage("train", stage, seen, undefined);
  return {
    cmd: stage.cmd,
    fingerprint: status.fingerprint!,
    deps: [...seen.deps.values()].filter((x) => x !== undefined),
    params: { "train.trees": 10 },
    outs: [seen.outs.get("model.json")!],
    metrics: [seen.outs.get("metrics.json")!],
    plots: [],
  };
}

describe("stage fingerprint", () => {
  it("is stable under dep order and changes with cmd, dep hash, params and outs", () => {
    const base = {
      cmd: "a",
      deps: [e("x", "1"), e("y", "2")],
      params: { k: 1 },
      outs: [{ kind: "outs" as const, path: "o" }],
    };
    const fp = stageFingerprint(base);
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(stageFingerprint({ ...base, deps: [e("y", "2"), e("x", "1")] })).toBe(fp);
    const variants = [
      { ...base, cmd: "b" },
      { ...base, deps: [e("x", "1"), e("y", "3")] },
      { ...base, params: { k: 2 } },
      { ...base, outs: [{ kind: "metrics" as const, path: "o" }] },
    ];
    expect(new Set(variants.map(stageFingerprint)).size).toBe(4);
    for (const v of variants) expect(stageFingerprint(v)).not.toBe(fp);
  });
});

describe("explainStage", () => {
  const seen = observe();
  const locked = lockFor(seen);

  it("is up to date when nothing changed (unused params do not matter)", () => {
    const status = explainStage(
      "train",
      stage,
      observe({ params: { train: { trees: 10, depth: 99 } } }),
      locked,
    );
    expect(status).toEqual({ stage: "train", stale: false, reasons: [], fingerprint: locked.fingerprint });
  });

  it("says why: never run, cmd, dep, param, outs", () => {
    expect(explainStage("train", stage, seen, undefined).reasons.map(describeReason)).toEqual([
      "never run (no entry in trainyard.lock)",
    ]);
    const changed = observe({
      deps: new Map([
        ["train.js", e("train.js", "9")],
        ["data", undefined],
      ]),
      params: { train: { trees: 11 } },
      outs: new Map([["metrics.json", e("metrics.json", "5")]]),
    });
    const status = explainStage("train", { ...stage, cmd: "node train.js --fast" }, changed, locked);
    expect(status.stale).toBe(true);
    expect(status.fingerprint).toBeUndefined();
    expect(status.reasons.map(describeReason)).toEqual([
      "dep data is missing",
      "cmd changed (was: node train.js)",
      "dep train.js changed",
      "param train.trees: 10 → 11",
      "out model.json is missing",
      "out metrics.json was modified",
    ]);
  });

  it("notices added and removed deps and a changed list of outs", () => {
    const moreDeps = { ...stage, deps: ["train.js", "extra.txt"], outs: ["model.bin"] };
    const seen2 = observe({
      deps: new Map([
        ["train.js", e("train.js", "1")],
        ["extra.txt", e("extra.txt", "7")],
      ]),
    });
    expect(explainStage("train", moreDeps, seen2, locked).reasons.map(describeReason)).toEqual([
      "dep extra.txt added",
      "dep data removed",
      "declared outs changed",
      "out model.bin is missing",
    ]);
  });

  it("reports a dep that was added to the stage but does not exist in one line, not as both missing and added", () => {
    const withUtils = { ...stage, deps: ["train.js", "data/", "src/utils.py"] };
    expect(explainStage("train", withUtils, observe(), locked).reasons.map(describeReason)).toEqual([
      "dep src/utils.py is missing",
    ]);
  });

  it("always_changed is always stale; frozen is never stale, whatever changed", () => {
    const always = explainStage("train", { ...stage, always_changed: true }, observe(), locked);
    expect(always.reasons.map(describeReason)).toEqual(["always_changed: runs every time"]);
    const changed = observe({ params: { train: { trees: 99 } } });
    const frozen = explainStage("train", { ...stage, frozen: true }, changed, locked);
    expect(frozen).toMatchObject({ stale: false, reasons: [], frozen: true });
  });
});
