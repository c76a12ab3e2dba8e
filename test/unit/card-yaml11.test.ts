/**
 * Model cards are read by YAML 1.1 parsers too (PyYAML in huggingface_hub): every number the
 * front matter carries must come back as the same number there, and every string as a string.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCard, type CardInput } from "../../src/core/card/index.js";

const awkward = { loss: 5e-7, tiny: -2.5e-10, huge: 1e21, accuracy: 0.95, rows: 150, big: 1.5e300 };

function card(metrics: Record<string, number>, params: Record<string, string | number> = {}): CardInput {
  return {
    model: "iris",
    task: "tabular-classification",
    metrics,
    lineage: { commit: "0123456789abcdef0123456789abcdef01234567", params },
  };
}

function frontMatterOf(text: string): string {
  return text.split("---\n")[1] as string;
}

function pyyaml(yamlText: string): unknown {
  const py = spawnSync(
    "python3",
    ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read()), allow_nan=True))"],
    { input: yamlText, encoding: "utf8" },
  );
  if (py.status !== 0) throw new Error(py.stderr);
  return JSON.parse(py.stdout);
}

describe("card front matter for YAML 1.1 readers", () => {
  it("writes exponent floats as YAML 1.1 floats (5.0e-07, not 5e-7)", () => {
    const text = frontMatterOf(renderCard(card(awkward)));
    expect(text).toContain("value: 5.0e-07");
    expect(text).not.toMatch(/\b5e-7\b/);
  });

  it("the yaml package in 1.1 mode and PyYAML read the same numbers and strings back", () => {
    const params = {
      "train.mode": "on",
      "train.octal": "0o17",
      "train.when": "2001-12-14",
      "train.lr": 3e-4,
    };
    const text = frontMatterOf(renderCard(card(awkward, params)));
    const expected = parse(text, { version: "1.2" });
    const asJson = JSON.parse(JSON.stringify(expected));
    expect(parse(text, { version: "1.1" })).toEqual(expected);
    expect(pyyaml(text)).toEqual(asJson);
    expect(expected["model-index"][0].results[0].metrics.map((m: { value: number }) => m.value)).toEqual(
      Object.values(awkward),
    );
    expect(expected.trainyard.params).toEqual(params);
  });

  it("property: any finite double survives both YAML 1.1 readers", () => {
    // One card per run carries many values, so PyYAML starts once per run, not once per value.
    const doubles = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
      minLength: 1,
      maxLength: 80,
    });
    fc.assert(
      fc.property(doubles, (values) => {
        const metrics = Object.fromEntries(values.map((v, i) => [`m${i}`, v]));
        const text = frontMatterOf(renderCard(card(metrics)));
        const read = (doc: { "model-index": { results: { metrics: { value: number }[] }[] }[] }) =>
          doc["model-index"][0]?.results[0]?.metrics.map((m) => m.value);
        const same = (got: number[] | undefined) =>
          got?.every((g, i) => g === values[i]) && got.length === values.length;
        expect(same(read(parse(text, { version: "1.1" }))), text).toBe(true);
        expect(same(read(pyyaml(text) as Parameters<typeof read>[0])), text).toBe(true);
      }),
      { numRuns: 5 },
    );
  });
});
