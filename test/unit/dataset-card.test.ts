import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { assignSplits, datasetCardStats, mergeDtypes, renderDatasetCard } from "../../src/core/card/index.js";
import type { TableSummary } from "../../src/core/data-summary/summarize-table.js";

const table = (rows: number, columns: TableSummary["columns"]): TableSummary => ({
  format: "csv",
  rows,
  columns,
});
const column = (name: string, type: TableSummary["columns"][number]["type"]) => ({
  name,
  type,
  count: 1,
  nulls: 0,
  distinct: 1,
});

describe("dataset splits and dtypes", () => {
  it("names splits from file or folder names as the Hub does, else one train split", () => {
    expect(assignSplits(["test.csv", "train.csv", "valid.csv"])).toEqual([
      { name: "train", files: ["train.csv"] },
      { name: "validation", files: ["valid.csv"] },
      { name: "test", files: ["test.csv"] },
    ]);
    expect(assignSplits(["train/b.parquet", "train/a.parquet", "test-00000-of-00001.parquet"])).toEqual([
      { name: "train", files: ["train/a.parquet", "train/b.parquet"] },
      { name: "test", files: ["test-00000-of-00001.parquet"] },
    ]);
    // `trainer.csv` and `testimony.csv` are not split names; one file that names no split makes one train split.
    expect(assignSplits(["trainer.csv", "testimony.csv"])).toEqual([
      { name: "train", files: ["testimony.csv", "trainer.csv"] },
    ]);
    expect(assignSplits(["train.csv", "extra.csv"])).toEqual([
      { name: "train", files: ["extra.csv", "train.csv"] },
    ]);
  });

  it("merges a column's types across files: ints and floats make floats, anything else strings", () => {
    expect(mergeDtypes(["integer", "empty"])).toBe("int64");
    expect(mergeDtypes(["integer", "number"])).toBe("float64");
    expect(mergeDtypes(["boolean", "integer"])).toBe("string");
    expect(mergeDtypes(["json"])).toBe("string");
    expect(mergeDtypes(["empty"])).toBe("string");
  });

  it("renders front matter a YAML 1.1 reader reads back, and registry show reads its stats", () => {
    const text = renderDatasetCard({
      name: "d",
      files: [
        {
          path: "train.csv",
          bytes: 1_000_000_000_000,
          summary: table(3, [column("on", "boolean"), column("x", "number")]),
        },
        { path: "test.csv", bytes: 10, summary: table(1, [column("on", "boolean"), column("x", "integer")]) },
      ],
      lineage: {},
    });
    const front = parse(/^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "", { version: "1.1" });
    // `on` is a boolean in YAML 1.1 unless quoted: the feature name must stay the string "on".
    expect(front.dataset_info.features).toEqual([
      { name: "on", dtype: "bool" },
      { name: "x", dtype: "float64" },
    ]);
    expect(front.dataset_info.dataset_size).toBe(1_000_000_000_010);
    expect(datasetCardStats(text, "README.md")).toEqual({
      rows: 4,
      bytes: 1_000_000_000_010,
      splits: ["train", "test"],
    });
    expect(datasetCardStats("---\n: [\n---\n", "README.md")).toBeUndefined();
  });
});
