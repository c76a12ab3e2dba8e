import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/core/config/validate.js";
import type { Lock } from "../../src/core/lock.js";
import { contentHash, metricsProvenanceProblems } from "../../src/core/pr-report/metrics-provenance.js";
import { parseYamlWithPositions } from "../../src/core/yaml-document.js";

const yaml = `params: params.yaml
stages:
  evaluate:
    cmd: node evaluate.js
    deps: [evaluate.js]
    params: [eval.k]
    metrics: [metrics.json]
models:
  m:
    path: model.json
    metrics: metrics.json
`;
const metrics = Buffer.from('{"accuracy":0.9}');
const script = Buffer.from("console.log(1)");
const entry = (path: string, bytes: Buffer) => ({
  path,
  hash: contentHash(bytes) as `sha256:${string}`,
  size: bytes.length,
});
const lock: Lock = {
  schema: 1,
  stages: {
    evaluate: {
      cmd: "node evaluate.js",
      fingerprint: `sha256:${"0".repeat(64)}`,
      deps: [entry("evaluate.js", script)],
      params: { "eval.k": 3 },
      outs: [],
      metrics: [entry("metrics.json", metrics)],
      plots: [],
    },
  },
};

describe("metrics provenance", () => {
  const params = { eval: { k: 3 } };
  const config = validateConfig(parseYamlWithPositions(yaml, "trainyard.yaml", "config"), {
    params: { file: "params.yaml", value: params },
  }).value!;
  const input = {
    config,
    metricsPath: "metrics.json",
    metrics,
    lock,
    params: { eval: { k: 3 } },
    deps: new Map([["evaluate.js", entry("evaluate.js", script)]]),
  };

  it("accepts metrics whose hash the lock records for an up-to-date stage", () => {
    expect(metricsProvenanceProblems(input)).toEqual([]);
  });

  it("says why when the file was edited, a param or dep changed, the stage never ran or none writes it", () => {
    expect(metricsProvenanceProblems({ ...input, metrics: Buffer.from('{"accuracy":0.99}') })).toEqual([
      expect.stringMatching(/^`metrics.json` is not what stage `evaluate` wrote .*edited after the run$/),
    ]);
    expect(metricsProvenanceProblems({ ...input, params: { eval: { k: 4 } } })).toEqual([
      expect.stringContaining("stage `evaluate` is not up to date at this commit (param eval.k: 3 → 4)"),
    ]);
    expect(metricsProvenanceProblems({ ...input, deps: new Map([["evaluate.js", undefined]]) })).toEqual([
      expect.stringContaining("dep evaluate.js is missing"),
    ]);
    expect(metricsProvenanceProblems({ ...input, lock: undefined })).toEqual([
      "trainyard.lock has no entry for stage `evaluate`: it never ran for this commit",
    ]);
    expect(metricsProvenanceProblems({ ...input, metricsPath: "other.json" })).toEqual([
      "no stage in trainyard.yaml at this commit writes `other.json`, so nothing shows the pipeline produced it",
    ]);
  });
});
