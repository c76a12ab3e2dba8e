import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffTableSummaries } from "../../src/core/data-summary/diff-table-summary.js";
import { summarizeTableText } from "../../src/core/data-summary/parse-table.js";
import type { TableFormat } from "../../src/core/data-summary/summarize-table.js";
import { renderDataSection } from "../../src/core/report/render-data-section.js";

type Value = number | string | null;

const MISSING = new Set(["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"]);

/** Text that is never read as a number, boolean or missing value. */
const word = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter(
    (s) => !MISSING.has(s.trim()) && !/^[\s+\-.\d eE]*$/.test(s) && !["true", "false"].includes(s.trim()),
  );
const value: fc.Arbitrary<Value> = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }),
  // -0 is written as "0" in CSV/TSV text (String(-0)), so the file holds +0: generate what it can hold.
  fc
    .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
    .map((x) => (Object.is(x, -0) ? 0 : x)),
  word,
  fc.constant(null),
);

const table = fc
  .uniqueArray(
    fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== ""),
    {
      minLength: 1,
      maxLength: 5,
    },
  )
  .chain((names) =>
    fc.record({
      names: fc.constant(names),
      rows: fc.array(fc.array(value, { minLength: names.length, maxLength: names.length }), {
        maxLength: 30,
      }),
    }),
  );

function csvCell(v: Value): string {
  const text = v === null ? "" : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function serialize(format: TableFormat, names: string[], rows: Value[][]): string {
  if (format === "jsonl") {
    return rows.map((row) => JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i]])))).join("\n");
  }
  const cell = format === "csv" ? csvCell : (v: Value) => (v === null ? "" : String(v));
  return [names, ...rows]
    .map((row) => (row as Value[]).map(cell).join(format === "csv" ? "," : "\t"))
    .join("\n");
}

/** TSV has no quoting: names and words there hold no tab, line break or quote-free trouble. */
const tsvSafe = (s: string) => !/[\t\r\n]/.test(s);

describe("data summaries (property)", () => {
  for (const format of ["csv", "tsv", "jsonl"] as const) {
    it(`${format}: rows, column names, count + nulls and numeric min/max/mean match the data`, () => {
      fc.assert(
        fc.property(table, ({ names, rows: generated }) => {
          if (format === "tsv" && ![...names, ...generated.flat().map(String)].every(tsvSafe)) return;
          if (format !== "jsonl" && names.some((n) => n.trim() !== n || n.startsWith("\uFEFF"))) return;
          // A one-column row holding nothing is a blank line, which CSV/TSV readers skip (as pandas does).
          const rows =
            format !== "jsonl" && names.length === 1 ? generated.filter((r) => r[0] !== null) : generated;
          const summary = summarizeTableText(serialize(format, names, generated), format, `t.${format}`);
          expect(summary.rows).toBe(rows.length);
          // JSON objects list integer-like keys first, so JSON Lines columns are compared as a set.
          const seen = summary.columns.map((c) => c.name);
          if (format === "jsonl")
            expect([...seen].sort()).toEqual(rows.length === 0 ? [] : [...names].sort());
          else expect(seen).toEqual(names);
          summary.columns.forEach((column) => {
            const i = names.indexOf(column.name);
            const values = rows.map((r) => r[i] ?? null).filter((v): v is number | string => v !== null);
            expect(column.count + column.nulls).toBe(rows.length);
            expect(column.count).toBe(values.length);
            if (values.length > 0 && values.every((v) => typeof v === "number")) {
              const numbers = values as number[];
              expect(column.min).toBe(Math.min(...numbers));
              expect(column.max).toBe(Math.max(...numbers));
              expect(column.mean).toBeCloseTo(numbers.reduce((a, b) => a + b, 0) / numbers.length, 6);
            } else {
              expect(column.mean).toBeUndefined();
            }
          });
        }),
        { numRuns: 150 },
      );
    });
  }

  it("the rendered data section keeps every column name inside its cell, whatever it holds", () => {
    fc.assert(
      fc.property(table, fc.string({ maxLength: 20 }), ({ names, rows }, extra) => {
        const head = summarizeTableText(
          serialize(
            "jsonl",
            [...names, `${extra}|<b>x</b>`],
            rows.map((r) => [...r, extra]),
          ),
          "jsonl",
          "t.jsonl",
        );
        const base = summarizeTableText(serialize("jsonl", names, rows), "jsonl", "t.jsonl");
        const md = renderDataSection(
          [
            {
              path: "data/t.jsonl",
              old: `sha256:${"a".repeat(64)}`,
              new: `sha256:${"b".repeat(64)}`,
              table: diffTableSummaries(base, head),
            },
          ],
          60_000,
        );
        expect(md).not.toMatch(/<(?!\/?(details|summary)>)/);
        const tree = fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
        for (const node of tree.children.filter((n) => n.type === "table")) {
          const widths = node.children.map((row) => row.children.length);
          expect(new Set(widths).size).toBe(1);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("bad input says where: CSV quote errors and JSON Lines by line and column", () => {
    expect(() => summarizeTableText('a,b\n1,"oops\n', "csv", "d.csv")).toThrow(/^d\.csv:\d+/);
    expect(() => summarizeTableText('{"a":1}\n{"a":\n', "jsonl", "d.jsonl")).toThrow(/^d\.jsonl:2/);
    expect(() => summarizeTableText('{"a":1}\n[1]\n', "jsonl", "d.jsonl")).toThrow(/d\.jsonl:2:1: each line/);
  });
});
