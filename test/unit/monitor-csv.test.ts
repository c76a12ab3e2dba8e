/** The CSV reader used by `trainyard monitor`: RFC 4180 quoting, errors with file:line, properties. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import { numericColumns, parseCsvTable, readColumn } from "../../src/core/monitor/index.js";

describe("parseCsvTable", () => {
  it("reads a header and rows, with LF or CRLF, a BOM, and blank lines skipped", () => {
    const table = parseCsvTable("\ufeffa,b\r\n1,x\r\n\r\n2,y", "t.csv");
    expect(table).toEqual({
      file: "t.csv",
      columns: ["a", "b"],
      rows: [
        ["1", "x"],
        ["2", "y"],
      ],
    });
  });

  it("handles quoted fields with commas, escaped quotes and newlines", () => {
    const table = parseCsvTable('name,note\n"Smith, J","said ""hi""\nthen left"\n""," "\n', "q.csv");
    expect(table.rows).toEqual([
      ["Smith, J", 'said "hi"\nthen left'],
      ["", " "],
    ]);
  });

  it.each([
    ["", /CSV file is empty/, undefined],
    ["a,b\n1,2\n3\n", /q\.csv:3: expected 2 fields like the header, got 1/, 3],
    ['a\n"open\n', /q\.csv:2: unterminated quoted field/, 2],
    ['a,b\n"x"y,1\n', /q\.csv:2: unexpected text after a closing quote/, 2],
    ["a,a\n1,2\n", /column "a" appears twice/, 1],
    ["a,,c\n", /column 2 of the header has no name/, 1],
  ])("rejects %j with a located error", (text, message, line) => {
    try {
      parseCsvTable(text, "q.csv");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TrainyardError);
      expect((error as TrainyardError).code).toBe("data");
      expect((error as Error).message).toMatch(message);
      expect((error as TrainyardError).location?.line).toBe(line);
    }
  });

  it("round-trips any table written with RFC 4180 quoting (property)", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "1", ",", '"', "\n", "\r\n", " ", "é") });
    const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(text), { maxLength: 6 }),
        (width, raw) => {
          const columns = Array.from({ length: width }, (_, i) => `c${i}`);
          const rows = raw.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ""));
          const csv = [columns, ...rows].map((r) => r.map(quote).join(",")).join("\r\n");
          expect(parseCsvTable(csv, "p.csv")).toEqual({ file: "p.csv", columns, rows });
        },
      ),
    );
  });

  it("never throws anything but a TrainyardError on arbitrary text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r", "1") }), (text) => {
        try {
          parseCsvTable(text, "x.csv");
        } catch (error) {
          expect(error).toBeInstanceOf(TrainyardError);
        }
      }),
    );
  });
});

describe("readColumn", () => {
  it("treats a column as numeric when every present cell is a number; NA and blanks are missing", () => {
    expect(readColumn(["1.5", " 2", "", "NA", "nan", "-3e2"])).toEqual({
      kind: "numeric",
      values: [1.5, 2, -300],
      missing: 3,
    });
    expect(readColumn(["1", "two", ""])).toEqual({ kind: "categorical", values: ["1", "two"], missing: 1 });
    expect(readColumn(["", "NA"]).kind).toBe("categorical");
  });

  it("lists the numeric columns as the default features", () => {
    const table = parseCsvTable("x,label,y\n1,a,2\n3,b,\n", "t.csv");
    expect(numericColumns(table)).toEqual(["x", "y"]);
  });
});
