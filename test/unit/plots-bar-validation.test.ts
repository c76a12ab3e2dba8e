import { describe, expect, it } from "vitest";
import type { PlotDefinition } from "../../src/core/plots/plot-definitions.js";
import { plotRevisionFromTexts } from "../../src/core/plots/plot-revision.js";
import { renderPlotsSection } from "../../src/core/plots/render-plots-section.js";

const bar = (path: string, x?: string, y: string[] = []): PlotDefinition => ({
  id: path,
  kind: "data",
  template: "bar_horizontal",
  sources: [{ path, ...(x ? { x } : {}), y }],
});

const errorOf = (definition: PlotDefinition, text: string, label?: string) =>
  plotRevisionFromTexts([definition], { [definition.id]: text }, {}, label).errors?.[definition.id];

describe("bar_horizontal plot data is validated where it is read", () => {
  it("accepts DVC's value-on-x layout and the per-class layout (category on x, several values on y)", () => {
    expect(
      errorOf(bar("imp.csv", "importance", ["feature"]), "feature,importance\npetal,0.6\nsepal,0.4\n"),
    ).toBeUndefined();
    expect(
      errorOf(
        bar("per_class.csv", "class", ["precision", "recall"]),
        "class,precision,recall\na,1,0.9\nb,0.8,0.7\n",
      ),
    ).toBeUndefined();
  });

  it("a value that is not a number names the file (at its revision) and the row's key", () => {
    expect(
      errorOf(
        bar("imp.csv", "importance", ["feature"]),
        "feature,importance\npetal,0.6\nsepal,n/a\n",
        "1a2b3c4",
      ),
    ).toBe(
      'imp.csv@1a2b3c4 (key [1].importance): bar_horizontal needs a number in "importance" on every row, got "n/a"',
    );
    const json = JSON.stringify([
      { class: "a", precision: 1, recall: 0.5 },
      { class: "b", precision: 0.5, recall: null },
    ]);
    expect(errorOf(bar("pc.json", "class", ["precision", "recall"]), json)).toBe(
      'pc.json (key [1].recall): bar_horizontal needs a number in "recall" on every row, got null',
    );
  });

  it("a column the data does not have, or a row without a category, is an error with its key", () => {
    expect(errorOf(bar("imp.csv", "importance", ["featur"]), "feature,importance\npetal,0.6\n")).toBe(
      'imp.csv (key y): bar_horizontal y column "featur" is not in the data (columns: feature, importance)',
    );
    expect(errorOf(bar("imp.csv", "importance", ["feature"]), "feature,importance\npetal,0.6\n,0.4\n")).toBe(
      'imp.csv (key [1].feature): bar_horizontal needs a category name in "feature" on every row',
    );
  });

  it("the report shows the error in place of the plot, escaped", () => {
    const definition = bar("imp.csv", "importance", ["feature"]);
    const head = plotRevisionFromTexts(
      [definition],
      { "imp.csv": "feature,importance\n<b>x</b>,`|oops\n" },
      {},
      "abc1234",
    );
    const section = renderPlotsSection([definition], undefined, head, 10_000);
    expect(section).toContain("_Cannot read imp.csv at head:_ imp.csv@abc1234 (key \\[0\\].importance)");
    expect(section).not.toContain("<b>");
  });
});
