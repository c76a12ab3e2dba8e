import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  buildCardInput,
  checkCard,
  formatCardProblem,
  manualBegin,
  manualEnd,
  parseCard,
  renderCard,
  type CardInput,
} from "../../src/core/card/index.js";

const input: CardInput = {
  model: "iris",
  license: "mit",
  library_name: "ml-random-forest",
  tags: ["tabular-classification"],
  datasets: ["iris"],
  task: "tabular-classification",
  dataset: { type: "iris", name: "Iris", split: "test", revision: "sha256:abc" },
  metrics: { accuracy: 0.95, "per_class.setosa.recall": 1, note: "n/a", broken: Number.NaN },
  lineage: {
    commit: "0123456789abcdef0123456789abcdef01234567",
    lockHash: "sha256:feed",
    data: { "data/raw.ty": "sha256:abc" },
    params: { "train.depth": 5, "train.seed": 42 },
  },
};

describe("renderCard", () => {
  const card = renderCard(input);
  const front = parseYaml(card.split("---\n")[1] as string);

  it("writes Hugging Face front matter with a model-index", () => {
    expect(front).toMatchObject({
      license: "mit",
      library_name: "ml-random-forest",
      tags: ["tabular-classification", "trainyard"],
      datasets: ["iris"],
      metrics: ["accuracy", "per_class.setosa.recall"],
    });
    expect(front["model-index"]).toEqual([
      {
        name: "iris",
        results: [
          {
            task: { type: "tabular-classification" },
            dataset: { type: "iris", name: "Iris", split: "test", revision: "sha256:abc" },
            metrics: [
              { type: "accuracy", value: 0.95, name: "accuracy" },
              { type: "per_class.setosa.recall", value: 1, name: "per_class.setosa.recall" },
            ],
          },
        ],
      },
    ]);
    expect(front.trainyard).toEqual({
      commit: input.lineage.commit,
      lock: "sha256:feed",
      data: { "data/raw.ty": "sha256:abc" },
      params: { "train.depth": 5, "train.seed": 42 },
    });
  });

  it("has the readable sections", () => {
    for (const title of [
      "# iris",
      "## Intended use",
      "## Metrics",
      "## Training data",
      "## Limitations",
      "## Lineage",
    ]) {
      expect(card).toContain(`\n${title}\n`);
    }
    expect(card).toContain("| accuracy | 0.95 |");
    expect(card).toContain("| `data/raw.ty` | `abc` |");
    expect(card).toContain("| train.depth | 5 |");
  });

  it("passes its own check", () => {
    expect(checkCard(card, "models/iris/README.md", { model: "iris", metrics: input.metrics })).toEqual([]);
  });

  it("round-trips hand-written text and user front matter through regeneration", () => {
    const handWritten =
      "Classifies iris flowers.\n\n| a | table | someone | wrote |\n\n<details>kept</details>";
    const edited = card
      .replace(
        /(<!-- trainyard:manual intended-use -->\n)[\s\S]*?(\n<!-- trainyard:end intended-use -->)/,
        `$1${handWritten}$2`,
      )
      .replace("---\nlicense: mit", "---\nlanguage: en\npipeline_tag: tabular-classification\nlicense: mit")
      .concat(
        `\n${manualBegin("deployment-notes")}\nRuns on the edge box.\n${manualEnd("deployment-notes")}\n`,
      );
    const regenerated = renderCard({ ...input, metrics: { accuracy: 0.97 } }, edited, "README.md");
    const doc = parseCard(regenerated, "README.md");
    expect(doc.manual.get("intended-use")).toBe(handWritten);
    expect(doc.manual.get("deployment-notes")).toBe("Runs on the edge box.");
    expect(doc.frontMatter).toMatchObject({ language: "en", pipeline_tag: "tabular-classification" });
    expect(regenerated).toContain("| accuracy | 0.97 |");
    // Regenerating again changes nothing: the card is a fixed point.
    expect(renderCard({ ...input, metrics: { accuracy: 0.97 } }, regenerated)).toBe(regenerated);
  });
});

describe("buildCardInput", () => {
  it("puts gated and top-level metrics in the model-index, keeps breakdowns in the table, lineage from the lock", () => {
    const h = (c: string) => `sha256:${c.repeat(64)}`;
    const cardInput = buildCardInput({
      model: "iris",
      spec: { task: "tabular-classification", datasets: ["iris"], gates: { "per_class.setosa.recall": {} } },
      metrics: { accuracy: 0.9, "per_class.setosa.recall": 1, "per_class.virginica.f1": 0.8 },
      lock: {
        stages: {
          train: {
            deps: [
              { path: "src/train.mjs", hash: h("1") },
              { path: "data/prepared", hash: h("2"), files: 2 },
            ],
            outs: [{ path: "models/iris/model.json", hash: h("3") }],
            params: { "train.depth": 4, "train.grid": [1, 2] },
          },
        },
      },
      lockHash: "sha256:lock",
      commit: "c".repeat(40),
    });
    expect(cardInput.lineage.data).toEqual({ "data/prepared": h("2"), "models/iris/model.json": h("3") });
    expect(cardInput.lineage.params).toEqual({ "train.depth": 4, "train.grid": "[1,2]" });
    expect(cardInput.dataset).toEqual({ type: "iris", name: "iris", revision: h("2") });
    const front = parseYaml(renderCard(cardInput).split("---\n")[1] as string);
    expect(front.metrics).toEqual(["accuracy", "per_class.setosa.recall"]);
    expect(renderCard(cardInput)).toContain("| per_class.virginica.f1 | 0.8 |");
  });
});

describe("checkCard", () => {
  const good = renderCard(input);

  it("fails on a broken model-index with file, line and key", () => {
    const broken = good
      .replace(
        "      - task:\n          type: tabular-classification\n",
        "      - task:\n          name: Classification\n",
      )
      .replace("value: 0.95", "value: [0.95]");
    const problems = checkCard(broken, "models/iris/README.md");
    const lines = problems.map(formatCardProblem);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^models\/iris\/README\.md:\d+:\d+ \(key model-index\[0\]\.results\[0\]\.task\.type\): error: `type` is required: the task id/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /\(key model-index\[0\]\.results\[0\]\.metrics\[0\]\.value\): error: `value` must be a number, found a list/,
      ),
    );
    const valueLine = broken.split("\n").findIndex((l) => l.includes("value: [0.95]")) + 1;
    expect(problems.find((p) => p.location.key?.endsWith("metrics[0].value"))?.location.line).toBe(valueLine);
  });

  it("reports a stale card whose metrics disagree with the metrics file", () => {
    const problems = checkCard(good, "c.md", { metrics: { accuracy: 0.91 } });
    expect(problems.map((p) => p.message)).toEqual([
      "card says accuracy = 0.95 but the metrics file says 0.91; regenerate with `trainyard card`",
    ]);
  });

  it("reports missing front matter, YAML errors and unbalanced manual markers with lines", () => {
    expect(checkCard("# just markdown\n", "a.md")[0]?.message).toMatch(/no YAML front matter/);
    const yamlError = checkCard("---\nlicense: [mit\n---\n", "a.md")[0];
    expect(yamlError?.location).toMatchObject({ file: "a.md", line: 2 });
    const markers = checkCard(`${good}\n${manualBegin("x")}\ntext\n`, "a.md");
    expect(markers.map((p) => p.message)).toEqual([
      "manual region 'x' is never closed; expected '<!-- trainyard:end x -->'",
    ]);
    const unclosed = checkCard("---\nlicense: mit\n", "a.md")[0];
    expect(unclosed?.message).toBe("front matter starts with '---' but has no closing '---' line");
  });

  it("warns (without failing) about missing license and lineage", () => {
    const problems = checkCard("---\ntags: [a]\n---\n# x\n", "a.md");
    expect(problems.map((p) => p.severity)).toEqual(["warning", "warning", "warning"]);
  });
});
