import { describe, expect, it } from "vitest";
import {
  buildExperimentTable,
  type ExperimentFiles,
  experimentCommitMessage,
  parseExperimentMessage,
  parseSortSpec,
  renderCsv,
  renderMarkdown,
  sortExperimentRows,
  tableColumns,
} from "../../src/core/experiments/index.js";

const BASE = "b".repeat(40);
const baseFiles = new Map([
  [
    BASE,
    {
      paramsText: "train:\n  depth: 4\n  kind: rf\n",
      metricsTexts: { "metrics.json": '{"accuracy": 0.95}' },
    },
  ],
]);

function exp(name: string, depth: number, accuracy: number | undefined, kind = "rf"): ExperimentFiles {
  return {
    name,
    base: BASE,
    commit: name.padEnd(40, "0"),
    record: parseExperimentMessage(
      experimentCommitMessage({
        name,
        base: BASE,
        overrides: [
          ["train.depth", depth],
          ["train.kind", kind],
        ],
        status: "success",
        durationMs: 1500,
        createdAt: "2026-01-01T00:00:00.000Z",
      }),
    ),
    paramsText: `train:\n  depth: ${depth}\n  kind: ${JSON.stringify(kind)}\n`,
    metricsTexts: { "metrics.json": accuracy === undefined ? undefined : JSON.stringify({ accuracy }) },
  };
}

const gates = [
  { model: "iris", metricsFile: "metrics.json", gates: { accuracy: { min: 0.9, max_drop: 0.01 } } },
];

describe("exp show table", () => {
  it("shows only params that differ, judges gates against the base, sorts with missing values last", () => {
    const table = buildExperimentTable(
      [exp("a", 2, 0.91), exp("b", 6, 0.97), exp("c", 8, undefined)],
      baseFiles,
      ["metrics.json"],
      gates,
    );
    expect(table.paramKeys).toEqual(["train.depth"]);
    const sorted = sortExperimentRows(table, parseSortSpec("accuracy:desc"));
    expect(sorted.rows.map((r) => [r.name, r.metrics.accuracy, r.gates.iris])).toEqual([
      ["b", 0.97, "pass"],
      ["a", 0.91, "fail"],
      ["c", undefined, "missing"],
    ]);
    expect(sortExperimentRows(table, parseSortSpec("accuracy")).rows.map((r) => r.name)).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(() => sortExperimentRows(table, parseSortSpec("acuracy:desc"))).toThrow(/no column "acuracy"/);
  });

  it("keeps user text inside its Markdown cell and out of spreadsheet formulas", () => {
    const evil = "x | </table><img src=x onerror=alert(1)>\n# heading";
    const table = buildExperimentTable(
      [exp("a", 2, 0.95, evil), exp("d", 3, 0.96, "=HYPERLINK(1)")],
      baseFiles,
      ["metrics.json"],
      gates,
    );
    const md = renderMarkdown(tableColumns(table));
    const lines = md.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line.split(/(?<!\\)\|/).length).toBe(lines[0]?.split("|").length);
    expect(md).not.toMatch(/<img|<\/table>/);
    const csv = renderCsv(tableColumns(table));
    expect(csv).toContain("'=HYPERLINK(1)");
    expect(csv).toContain('"x | </table><img src=x onerror=alert(1)>\n# heading"');
  });

  it("reads back its own commit record and ignores damaged ones", () => {
    expect(parseExperimentMessage("exp a\n\ntrainyard-experiment: {not json")).toBeUndefined();
    expect(parseExperimentMessage("just a commit")).toBeUndefined();
  });
});
