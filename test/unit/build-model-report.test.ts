import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/core/config/schema.js";
import { TrainyardError } from "../../src/core/errors.js";
import { buildModelReport, reportInputPaths } from "../../src/core/pr-report/build-model-report.js";

const config = configSchema.parse({
  models: {
    iris: {
      path: "models/iris/model.json",
      metrics: "metrics.json",
      gates: { accuracy: { min: 0.9, max_drop: 0.01 } },
    },
    plain: { path: "models/plain/model.json", metrics: "plain.json" },
  },
});
const h = (n: string) => `sha256:${n.repeat(64)}`;
const lock = (dataHash: string, fingerprint: string) =>
  [
    "schema: 1",
    "stages:",
    "  train:",
    "    cmd: node train.js",
    `    fingerprint: ${h(fingerprint)}`,
    "    deps:",
    `      - { path: train.js, hash: ${h("c")}, size: 1 }`,
    `      - { path: data/raw, hash: ${dataHash}, size: 9, files: 3 }`,
    "    outs:",
    `      - { path: models/iris/model.json, hash: ${h(fingerprint)}, size: 5 }`,
  ].join("\n");

const report = (model: string, base: Record<string, string>, head: Record<string, string>) =>
  buildModelReport({
    config,
    model,
    base: { label: "main", files: base },
    head: { label: "pr", files: head },
  });

describe("buildModelReport", () => {
  it("lists what it needs to read", () => {
    expect(reportInputPaths(config, "iris")).toEqual([
      "metrics.json",
      "params.yaml",
      "trainyard.lock",
      "trainyard.stages.json",
    ]);
  });

  it("passes, with re-run stages and changed data from the locks", () => {
    const r = report(
      "iris",
      { "metrics.json": '{"accuracy":0.91}', "trainyard.lock": lock(h("a"), "1") },
      { "metrics.json": '{"accuracy":0.915}', "trainyard.lock": lock(h("b"), "2") },
    );
    expect(r.check.conclusion).toBe("success");
    expect(r.markdown).toMatch(/#### Stages re-run\n`train`/);
    expect(r.markdown).toMatch(/\| `data\/raw` \| `aaaaaaaaaaaa` \| `bbbbbbbbbbbb` \|/);
    expect(r.markdown).toMatch(/models\/iris\/model\.json/);
    // Source code is not "data".
    expect(r.markdown).not.toMatch(/`train\.js`/);
  });

  it("fails naming the gate, and fails closed when a gated metric vanished", () => {
    const drop = report(
      "iris",
      { "metrics.json": '{"accuracy":0.95}' },
      { "metrics.json": '{"accuracy":0.93}' },
    );
    expect(drop.check).toMatchObject({
      conclusion: "failure",
      title: "iris: gate failed — accuracy max_drop",
    });
    expect(drop.check.summary).toMatch(/❌ `accuracy` max_drop 0\.01/);
    const gone = report("iris", { "metrics.json": '{"accuracy":0.95}' }, { "metrics.json": '{"f1":0.9}' });
    expect(gone.check.conclusion).toBe("failure");
  });

  it("is neutral without metrics at head, and succeeds without gates", () => {
    expect(report("iris", { "metrics.json": '{"accuracy":0.95}' }, {}).check.conclusion).toBe("neutral");
    expect(report("plain", {}, { "plain.json": '{"loss":0.1}' }).check).toMatchObject({
      conclusion: "success",
      title: "plain: no gates configured",
    });
  });

  it("throws a positioned TrainyardError for an unreadable metrics file", () => {
    expect(() => report("iris", {}, { "metrics.json": '{"accuracy": 0.9,,}' })).toThrow(TrainyardError);
    expect(() => report("iris", {}, { "metrics.json": '{"accuracy": 0.9,,}' })).toThrow(/metrics\.json:1:/);
  });
});
