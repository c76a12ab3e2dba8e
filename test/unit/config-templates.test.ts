import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/core/config/validate.js";
import { parseYamlWithPositions } from "../../src/core/yaml-document.js";

const PARAMS = { train: { model_path: "models/m.json", lr: 0.1 }, datasets: ["a", "b", "c"] };

function validate(text: string, params: unknown = PARAMS) {
  const doc = parseYamlWithPositions(text, "trainyard.yaml", "config");
  return validateConfig(doc, params === null ? {} : { params: { file: "params.yaml", value: params } });
}
const messages = (text: string, params?: unknown) => validate(text, params).errors.map((e) => e.message);

describe("vars and ${…} templates in trainyard.yaml", () => {
  it("resolves params and inline vars in cmd and paths instead of passing them to the shell verbatim", () => {
    const { value, errors } = validate(
      "vars:\n  - params.yaml\n  - out_dir: out\nstages:\n  train:\n    cmd: node t.js --lr ${train.lr} > ${out_dir}/log\n    outs: ['${train.model_path}', '${out_dir}']\n",
    );
    expect(errors).toEqual([]);
    expect(value?.stages.train?.cmd).toBe("node t.js --lr 0.1 > out/log");
    expect(value?.stages.train?.outs).toEqual(["models/m.json", "out"]);
  });

  it("reports an unresolved reference with file:line:col and the key", () => {
    expect(messages("stages:\n  train:\n    cmd: node t.js ${train.model_pth}\n")).toEqual([
      'trainyard.yaml:3:10 (key stages.train.cmd): "${train.model_pth}" is not defined in vars, params or the loop item',
    ]);
  });

  it("refuses a var defined twice (DVC semantics) and a vars file it does not read", () => {
    expect(messages("vars:\n  - train: 1\n  - other.yaml\nstages: {}\n")).toEqual([
      'trainyard.yaml:2:12 (key vars[0].train): var "train" is already defined in the params file (params.yaml)',
      'trainyard.yaml:3:5 (key vars[1]): vars file "other.yaml" is not read: list the values inline under vars, or put them in the params file (params.yaml)',
    ]);
  });
});

describe("foreach/do and matrix", () => {
  it("expands a foreach over a list of scalars into <name>@<item> stages", () => {
    const { value, errors } = validate(
      "stages:\n  prep:\n    foreach: ${datasets}\n    do:\n      cmd: node p.js ${item}\n      outs: ['out/${item}.csv']\n",
    );
    expect(errors).toEqual([]);
    expect(Object.keys(value?.stages ?? {})).toEqual(["prep@a", "prep@b", "prep@c"]);
    expect(value?.stages["prep@b"]).toMatchObject({ cmd: "node p.js b", outs: ["out/b.csv"] });
  });

  it("expands a foreach over a mapping with ${key} and ${item.x}, and over a list of mappings by index", () => {
    const { value, errors } = validate(
      "stages:\n  build:\n    foreach:\n      uk: { epochs: 3 }\n      us: { epochs: 10 }\n    do:\n      cmd: train ${key} ${item.epochs}\n  ev:\n    foreach: [{ n: x }, { n: y }]\n    do:\n      cmd: ev ${item.n}\n",
    );
    expect(errors).toEqual([]);
    expect(value?.stages["build@us"]?.cmd).toBe("train us 10");
    expect(value?.stages["ev@1"]?.cmd).toBe("ev y");
  });

  it("expands a matrix into DVC-named stages in key order", () => {
    const { value, errors } = validate(
      "stages:\n  train:\n    matrix:\n      lr: [0.1, 0.01]\n      depth: [2, 4]\n      extra: [[1]]\n    cmd: train --lr ${item.lr} --depth ${item.depth} ${item.extra[0]}\n",
    );
    expect(errors).toEqual([]);
    expect(Object.keys(value?.stages ?? {})).toEqual([
      "train@0.1-2-extra0",
      "train@0.1-4-extra0",
      "train@0.01-2-extra0",
      "train@0.01-4-extra0",
    ]);
    expect(value?.stages["train@0.01-4-extra0"]?.cmd).toBe("train --lr 0.01 --depth 4 1");
  });

  it("points errors in a generated stage at its do: block, once, named by the generated key", () => {
    expect(
      messages("stages:\n  prep:\n    foreach: [a, b]\n    do:\n      cmd: x\n      depz: [y]\n"),
    ).toEqual([
      'trainyard.yaml:6:13 (key stages.prep@a.depz): unknown key "depz"; did you mean "deps"? (allowed: cmd, desc, wdir, deps, params, outs, metrics, plots, always_changed, frozen, env_passthrough)',
    ]);
    expect(messages("stages:\n  prep:\n    foreach: [a, b]\n    do:\n      cmd: x ${item.name}\n")).toEqual([
      'trainyard.yaml:5:12 (key stages.prep.do.cmd): "${item.name}" is not defined in vars, params or the loop item',
    ]);
  });

  it("refuses unsafe generated names, '@' in written names, clashes and malformed loops", () => {
    expect(messages("stages:\n  p:\n    foreach: [a/b]\n    do: { cmd: x }\n")[0]).toMatch(
      /^trainyard.yaml:3:14 \(key stages.p.foreach\): generated stage name "p@a\/b" may hold only/,
    );
    expect(messages("stages:\n  p@x:\n    cmd: x\n")[0]).toMatch(/may not contain "@"/);
    expect(messages("stages:\n  p:\n    foreach: [x]\n    do: { cmd: x }\n  p@x: { cmd: y }\n")).toHaveLength(
      1,
    );
    expect(messages("stages:\n  p:\n    foreach: [x]\n    cmd: y\n")[0]).toMatch(
      /"cmd" does not belong next to foreach/,
    );
    expect(messages("stages:\n  p:\n    matrix: { a: [] }\n    cmd: y\n")[0]).toMatch(
      /matrix expects a mapping/,
    );
  });
});

describe("DVC keys trainyard.yaml takes elsewhere", () => {
  it("takes top-level metrics as DVC does, says where artifacts moved and what replaces a stage's meta", () => {
    expect(
      messages(
        "stages:\n  t:\n    cmd: x\n    meta: { owner: me }\nmetrics: [m.json]\nartifacts:\n  m: { path: m.pkl }\n",
      ),
    ).toEqual([
      'trainyard.yaml:4:11 (key stages.t.meta): unknown key "meta": DVC\'s "meta" has no equivalent in trainyard.yaml; use "desc" for a one-line description',
      'trainyard.yaml:7:3 (key artifacts): unknown key "artifacts": DVC\'s "artifacts" are "models" in trainyard.yaml: models.<name> with path, type and description (`trainyard init --from-dvc` converts them)',
    ]);
  });
});
