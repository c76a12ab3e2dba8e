import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/core/config/validate.js";
import { parseYamlWithPositions } from "../../src/core/yaml-document.js";

/** `params: null` means "there is no params file". */
function messages(text: string, params: unknown = { train: { lr: 0.1, trees: 5 } }) {
  const doc = parseYamlWithPositions(text, "trainyard.yaml", "config");
  const ctx = params === null ? {} : { params: { file: "params.yaml", value: params } };
  return validateConfig(doc, ctx).errors.map((e) => e.message);
}

describe("trainyard.yaml semantic rules", () => {
  it("refuses paths outside the repository, absolute paths and .git", () => {
    const errs = messages(
      "stages:\n  a:\n    cmd: x\n    deps: [../secret.txt]\n    outs: [/etc/passwd]\n    metrics: [.git/config]\n",
    );
    expect(errs).toEqual([
      'trainyard.yaml:4:12 (key stages.a.deps[0]): path "../secret.txt" escapes the repository; expected a path inside it',
      'trainyard.yaml:5:12 (key stages.a.outs[0]): path "/etc/passwd" is absolute; expected a path relative to the repository root',
      'trainyard.yaml:6:15 (key stages.a.metrics[0]): path ".git/config" is inside .git; expected a path in the working tree',
    ]);
  });

  it("reports a param key missing from params.yaml with a hint", () => {
    expect(messages("stages:\n  t:\n    cmd: x\n    params: [train.lr, train.tres]\n")).toEqual([
      'trainyard.yaml:4:24 (key stages.t.params[1]): param "train.tres" is not defined in params.yaml; did you mean "train.trees"?',
    ]);
  });

  it("reports params used while the params file does not exist", () => {
    expect(messages("stages:\n  t:\n    cmd: x\n    params: [train.lr]\n", null)[0]).toMatch(
      /key stages\.t\.params\[0\]\): param "train\.lr" is used but the params file "params\.yaml" does not exist/,
    );
  });

  it("reports duplicates, an undefined default remote and a bad S3 URL", () => {
    const errs = messages(
      "stages:\n  t:\n    cmd: x\n    deps: [a, a]\nstore:\n  default: tem\n  remotes:\n    team: { url: 's3://B' }\n",
    );
    expect(errs).toContain('trainyard.yaml:4:15 (key stages.t.deps[1]): "a" is listed twice in deps');
    expect(errs).toContain(
      'trainyard.yaml:6:12 (key store.default): default remote "tem" is not defined under store.remotes; did you mean "team"? (defined: team)',
    );
    expect(errs).toContain(
      'trainyard.yaml:8:18 (key store.remotes.team.url): "s3://B" is not a valid S3 URL; expected s3://bucket/prefix',
    );
  });

  it("checks model stage names, gates and the monitor's model", () => {
    const errs = messages(
      "models:\n  m:\n    path: m.bin\n    first_stage: stagin\n    permissions: { prod: admin }\n    gates: { acc: { min: 2, max: 1 } }\nmonitor:\n  reference: a.csv\n  current: b.csv\n  model: n\n",
    );
    expect(errs).toEqual([
      'trainyard.yaml:4:18 (key models.m.first_stage): "stagin" is not one of this model\'s stages (dev, staging, production); did you mean "staging"?',
      'trainyard.yaml:5:26 (key models.m.permissions.prod): "prod" is not one of this model\'s stages (dev, staging, production)',
      "trainyard.yaml:6:19 (key models.m.gates.acc): min 2 is greater than max 1",
      'trainyard.yaml:10:10 (key monitor.model): model "n" is not defined under models; did you mean "m"?',
    ]);
  });

  it("checks deploy hooks: stages the model has, a command, a URL, known keys", () => {
    const errs = messages(
      "models:\n  m:\n    path: m.bin\n    deploy:\n      prod: { cmd: ./ship }\n      staging: { cmd: '', url: not-a-url, rollback: true }\n",
    );
    expect(errs).toEqual([
      expect.stringMatching(/^trainyard\.yaml:6:\d+ \(key models\.m\.deploy\.staging\.cmd\): /),
      expect.stringMatching(/^trainyard\.yaml:6:\d+ \(key models\.m\.deploy\.staging\.url\): /),
      expect.stringMatching(
        /^trainyard\.yaml:6:\d+ \(key models\.m\.deploy\.staging\.rollback\): .*rollback_on_failure/,
      ),
    ]);
    expect(messages("models:\n  m:\n    path: m.bin\n    deploy:\n      prod: { cmd: ./ship }\n")).toEqual([
      'trainyard.yaml:5:13 (key models.m.deploy.prod): "prod" is not one of this model\'s stages (dev, staging, production)',
    ]);
  });

  it("reports DAG problems through the same channel, with positions", () => {
    const errs = messages(
      "stages:\n  a:\n    cmd: x\n    deps: [b.out]\n    outs: [a.out]\n  b:\n    cmd: y\n    deps: [a.out]\n    outs: [b.out]\n",
    );
    expect(errs).toEqual([
      "trainyard.yaml:3:5 (key stages.a): stages form a cycle: a → b → a; remove one of these deps",
    ]);
  });
});
