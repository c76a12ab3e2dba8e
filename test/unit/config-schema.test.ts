import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/core/config/validate.js";
import { TrainyardError } from "../../src/core/errors.js";
import { parseYamlWithPositions } from "../../src/core/yaml-document.js";

const DESIGN_EXAMPLE = `params: params.yaml
stages:
  prepare:
    cmd: node src/prepare.js
    deps: [src/prepare.js, data/raw]
    params: [prepare.split, prepare.seed]
    outs: [data/prepared]
  train:
    cmd: node src/train.js
    deps: [src/train.js, data/prepared]
    params: [train]
    outs: [models/iris/model.json]
  evaluate:
    cmd: node src/evaluate.js
    deps: [src/evaluate.js, models/iris/model.json, data/prepared]
    metrics: [metrics.json]
    plots: [plots/confusion.json]
models:
  iris:
    path: models/iris/model.json
    card: models/iris/README.md
    metrics: metrics.json
    gates:
      accuracy: { min: 0.90, max_drop: 0.01 }
    stages: [dev, staging, production]
    approvers: [some-team, some-user]
monitor:
  reference: data/prepared/train.csv
  current: data/live/latest.csv
  psi_max: 0.2
store:
  default: local
  remotes:
    local: { url: .trainyard/store }
    team:  { url: s3://bucket/prefix, endpoint: http://127.0.0.1:9000, region: us-east-1 }
`;
const PARAMS = { prepare: { split: 0.2, seed: 1 }, train: { trees: 10 } };

function validate(text: string, params: unknown = PARAMS) {
  const doc = parseYamlWithPositions(text, "trainyard.yaml", "config");
  return validateConfig(doc, params === undefined ? {} : { params: { file: "params.yaml", value: params } });
}
const messages = (text: string, params?: unknown) => validate(text, params).errors.map((e) => e.message);

describe("trainyard.yaml schema", () => {
  it("accepts the DESIGN.md example and fills defaults", () => {
    const { value, errors } = validate(DESIGN_EXAMPLE);
    expect(errors).toEqual([]);
    expect(value?.stages.evaluate?.outs).toEqual([]);
    expect(value?.models.iris?.bump).toBe("minor");
    expect(value?.models.iris?.type).toBe("model");
    expect(value?.monitor?.ks_pvalue_min).toBe(0.01);
    expect(Object.keys(value?.stages ?? {})).toEqual(["prepare", "train", "evaluate"]);
  });

  it("accepts what `trainyard init` writes and an empty file", () => {
    expect(
      validate("stages: {}\nstore:\n  default: local\n  remotes:\n    local: { url: .trainyard/store }\n")
        .errors,
    ).toEqual([]);
    const empty = validate("");
    expect(empty.errors).toEqual([]);
    expect(empty.value?.store.remotes.local?.url).toBe(".trainyard/store");
    expect(empty.value?.params).toBe("params.yaml");
  });

  it("refuses model and registry stage names that GTO tags cannot carry, naming where", () => {
    const errors = messages(
      "models:\n  Iris_v2_:\n    path: m.json\n  iris:\n    path: m.json\n    stages: [dev, -Prod]\n",
    );
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      /^trainyard\.yaml:3:5 \(key models\.Iris_v2_\): .*letters, digits, "-" and "_", starting and ending/,
    );
    expect(errors[1]).toMatch(/^trainyard\.yaml:6:\d+ \(key models\.iris\.stages\[1\]\): .*letters, digits/);
    expect(
      messages(
        "models:\n  iris-2:\n    path: m.json\n  Iris_V2:\n    path: m.json\n    stages: [dev, Prod_EU]\n",
      ),
    ).toEqual([]);
  });

  it("names file, line, column and key for a missing cmd", () => {
    expect(messages("stages:\n  train:\n    deps: [a.js]\n")).toEqual([
      'trainyard.yaml:3:5 (key stages.train.cmd): missing required key "cmd": expected a string (Shell command run from the repository root (or `wdir`).)',
    ]);
  });

  it("rejects an unknown key with a did-you-mean hint", () => {
    const [message] = messages("stages:\n  train:\n    cmd: x\n    dep: [a.js]\n");
    expect(message).toMatch(
      /^trainyard\.yaml:4:\d+ \(key stages\.train\.dep\): unknown key "dep"; did you mean "deps"\?/,
    );
    expect(message).toContain("allowed: cmd, desc, wdir, deps, params, outs, metrics, plots");
  });

  it("hints at a misspelt top-level key and refuses credentials in a remote", () => {
    expect(messages("stagse: {}\n")[0]).toContain('did you mean "stages"?');
    const creds = messages("store:\n  remotes:\n    s3: { url: s3://b/p, secret_access_key: x }\n")[0];
    expect(creds).toMatch(
      /key store\.remotes\.s3\.secret_access_key.*credentials never go in trainyard\.yaml/,
    );
  });

  it("reports wrong types, enum values and bad names, all at once", () => {
    const errs = messages(
      "stages:\n  train:\n    cmd: 3\n    deps: a.js\nmodels:\n  iris:\n    path: m.json\n    bump: majr\n  'bad name':\n    path: x\n",
    );
    expect(errs).toContain("trainyard.yaml:3:10 (key stages.train.cmd): expected a string, got number 3");
    expect(errs).toContain(
      'trainyard.yaml:4:11 (key stages.train.deps): expected a list, got the string "a.js"',
    );
    expect(
      errs.some((m) =>
        /models\.iris\.bump\): expected one of major, minor, patch, got the string "majr"; did you mean "major"\?/.test(
          m,
        ),
      ),
    ).toBe(true);
    expect(errs.some((m) => m.includes('invalid name "bad name": expected a model name'))).toBe(true);
  });

  it("an approver that is neither a login nor an org/team is an error at its position", () => {
    const errs = messages(
      "models:\n  iris:\n    path: m.json\n    approvers: [alice, acme/, /team, ' ', '@', ok-team/x]\n",
    );
    [24, 31, 38, 43].forEach((col, i) => {
      expect(errs[i]).toMatch(
        new RegExp(`^trainyard\\.yaml:4:${col} \\(key models\\.iris\\.approvers\\[${i + 1}\\]\\)`),
      );
    });
    expect(errs).toHaveLength(4);
    expect(errs[0]).toContain('a GitHub login ("alice") or an org team ("acme/ml-leads")');
  });

  it("protected stages must be stages of the model", () => {
    const errs = messages(
      "models:\n  iris:\n    path: m.json\n    stages: [dev, production, archive]\n    protected: [prod]\n",
    );
    expect(errs).toEqual([
      'trainyard.yaml:5:17 (key models.iris.protected[0]): "prod" is not one of this model\'s stages (dev, production, archive)',
    ]);
  });

  it("rejects a document that is not a mapping", () => {
    expect(messages("- a\n- b\n")).toEqual(["trainyard.yaml:1:1: expected a mapping, got a list"]);
  });

  it("reports malformed YAML with its position", () => {
    expect(() => validate("stages:\n  train: { cmd: x\n")).toThrow(/^trainyard\.yaml:\d+:\d+: invalid YAML/);
    expect(() => validate("stages: *nowhere\n")).toThrow(/^trainyard\.yaml: invalid YAML: Unresolved alias/);
  });

  it("never throws anything but TrainyardError on arbitrary input", () => {
    const yamlish = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .dictionary(
          fc.constantFrom("params", "stages", "models", "store", "monitor", "stagez"),
          fc.jsonValue(),
        )
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        try {
          const result = validate(text);
          for (const e of result.errors) expect(e).toBeInstanceOf(TrainyardError);
          expect(result.value === undefined || result.errors.length === 0).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(TrainyardError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("the document as written (before foreach/matrix expansion)", () => {
  it("an unknown stage key lists the allowed keys and suggests the close one", async () => {
    const { checkWithSchema } = await import("../../src/core/config/validate.js");
    const { configDocumentSchema } = await import("../../src/core/config/schema.js");
    const { problems } = checkWithSchema(configDocumentSchema, {
      stages: { train: { cmd: "x", outz: ["m"] } },
    });
    const message = problems.map((p) => p.message).join("\n");
    expect(message).toContain('unknown key "outz"; did you mean "outs"?');
    expect(message).toMatch(/\(allowed: [^)]*\bcmd\b[^)]*\bouts\b/);
  });
});
