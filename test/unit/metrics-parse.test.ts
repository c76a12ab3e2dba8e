import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import { flattenRecord, parseMetricsText } from "../../src/core/metrics/index.js";

function thrown(fn: () => unknown): TrainyardError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TrainyardError) return e;
    throw e;
  }
  throw new Error("expected a TrainyardError");
}

describe("parseMetricsText", () => {
  it("flattens nested JSON keys with dots", () => {
    const flat = parseMetricsText(
      '{"test": {"accuracy": 0.9, "per_class": [0.8, 1]}, "loss": 0.1}',
      "m.json",
    );
    expect(flat).toEqual({ "test.accuracy": 0.9, "test.per_class.0": 0.8, "test.per_class.1": 1, loss: 0.1 });
  });

  it("parses YAML metrics, including .nan", () => {
    expect(parseMetricsText("train:\n  loss: 0.25\n  f1: .nan\n", "m.yaml")).toEqual({
      "train.loss": 0.25,
      "train.f1": Number.NaN,
    });
  });

  it("takes the last row of a CSV/TSV log and converts numeric cells", () => {
    const csv = 'epoch,accuracy,note\n1,0.5,start\n2,0.75,"a, quoted"\n\n';
    expect(parseMetricsText(csv, "log.csv")).toEqual({ epoch: 2, accuracy: 0.75, note: "a, quoted" });
    expect(parseMetricsText("step\tloss\n1\t0.9\n2\tnan\n", "log.tsv")).toEqual({
      step: 2,
      loss: Number.NaN,
    });
  });

  it("accepts Python's bare NaN and Infinity in JSON", () => {
    const flat = parseMetricsText('{"a": NaN, "b": -Infinity, "s": "NaN"}', "py.json");
    expect(flat.a).toBeNaN();
    expect(flat.b).toBe(-Infinity);
    expect(flat.s).toBe("NaN");
  });

  it("names the file, line and column of invalid JSON", () => {
    const error = thrown(() => parseMetricsText('{\n  "accuracy": 0.9,\n  "f1": }\n', "metrics.json"));
    expect(error.code).toBe("metrics");
    expect(error.location).toEqual({ file: "metrics.json", line: 3, column: 9 });
    expect(error.message).toMatch(/^metrics\.json:3:9: invalid JSON: expected a JSON value, found '}'/);
  });

  it("reports a truncated JSON file at its end", () => {
    const error = thrown(() => parseMetricsText('{"accuracy": 0.9', "m.json"));
    expect(error.location).toMatchObject({ file: "m.json", line: 1, column: 17 });
  });

  it("names the file and line of a CSV row with the wrong number of fields", () => {
    const error = thrown(() => parseMetricsText("a,b\n1,2\n3\n", "log.csv"));
    expect(error.message).toBe(
      "log.csv:3:1: row has 1 fields but the header has 2; expected one value per column",
    );
  });

  it("names the file and position of invalid YAML", () => {
    const error = thrown(() => parseMetricsText("a: [1, 2\nb: 3\n", "m.yaml"));
    expect(error.location?.file).toBe("m.yaml");
    expect(error.location?.line).toBeGreaterThan(0);
  });

  it("refuses a document that is a single scalar, naming the file", () => {
    expect(thrown(() => parseMetricsText("0.93", "m.json")).message).toBe(
      "m.json:1:1: expected a mapping of metric names to values, found a single number",
    );
  });

  it("property: any JSON object or array round-trips through flatten without throwing", () => {
    const container = fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()));
    fc.assert(
      fc.property(container, (value) => {
        const text = JSON.stringify(value);
        const flat = parseMetricsText(text, "x.json");
        expect(flat).toEqual(flattenRecord(JSON.parse(text)));
      }),
      { numRuns: 200 },
    );
  });

  it("property: a CSV/TSV log written from rows parses back to its last row", () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_.]{0,10}$/);
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
      fc
        .stringMatching(/^[a-z][a-z ,"]{0,8}$/)
        .filter((v) => !["true", "false", "nan", "inf"].includes(v.trim())),
    );
    const table = fc.uniqueArray(key, { minLength: 1, maxLength: 6 }).chain((keys) =>
      fc.tuple(
        fc.constant(keys),
        fc.array(fc.array(value, { minLength: keys.length, maxLength: keys.length }), {
          minLength: 1,
          maxLength: 4,
        }),
      ),
    );
    fc.assert(
      fc.property(table, fc.constantFrom(",", "\t"), ([keys, rows], sep) => {
        const quote = (v: string | number) =>
          typeof v === "number" ? String(v) : /[",\t]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
        const text = [keys.join(sep), ...rows.map((r) => r.map(quote).join(sep))].join("\n");
        const parsed = parseMetricsText(text, sep === "," ? "log.csv" : "log.tsv");
        const last = rows[rows.length - 1] as (string | number)[];
        expect(parsed).toEqual(
          Object.fromEntries(
            keys.map((k, i) => [
              k,
              typeof last[i] === "string" ? (last[i] as string).trim() || null : last[i],
            ]),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("property: random text either parses or throws a positioned TrainyardError", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.constantFrom("a.json", "a.csv", "a.tsv", "a.yaml"),
        (text, file) => {
          try {
            parseMetricsText(text, file);
          } catch (e) {
            expect(e).toBeInstanceOf(TrainyardError);
            expect((e as TrainyardError).location?.file).toBe(file);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("property: the JSON locator agrees with JSON.parse on which texts are valid", () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string({ maxLength: 30 })), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const container = valid && /^\s*[[{]/.test(text);
        if (container) expect(() => parseMetricsText(text, "v.json")).not.toThrow();
        else if (!valid) {
          try {
            parseMetricsText(text, "v.json");
          } catch (e) {
            expect((e as TrainyardError).location?.line).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
