import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import {
  applyParamOverrides,
  autoExperimentName,
  expandGrid,
  experimentNameProblem,
  parseExperimentRef,
  parseSweepArg,
  sampleGrid,
  sweepNames,
  experimentRef,
} from "../../src/core/experiments/index.js";

const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}(\.[a-z_][a-z0-9_]{0,6}){0,2}$/);
// Values a user types in a list: numbers, booleans, plain words (no commas, never YAML specials).
const scalar = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
  fc.boolean(),
  fc
    .stringMatching(/^[a-z][a-z_]{0,8}$/)
    .filter((s) => !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].includes(s)),
);

describe("-S key=values parsing", () => {
  it("reads back every list it is given, duplicates dropped, in order", () => {
    fc.assert(
      fc.property(key, fc.array(scalar, { minLength: 1, maxLength: 6 }), (k, values) => {
        const axis = parseSweepArg(`${k}=${values.map(String).join(",")}`);
        const unique = values.filter((v, i) => values.findIndex((w) => Object.is(w, v)) === i);
        expect(axis).toEqual({ key: k, values: unique });
      }),
    );
  });

  it("range(start, stop, step) is Python's: stop excluded, an arithmetic progression inside the bounds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: -7, max: 7 }).filter((s) => s !== 0),
        (start, stop, step) => {
          const arg = `k=range(${start}, ${stop}, ${step})`;
          const expected: number[] = [];
          for (let v = start; step > 0 ? v < stop : v > stop; v += step) expected.push(v);
          if (expected.length === 0) expect(() => parseSweepArg(arg)).toThrow(/empty/);
          else expect(parseSweepArg(arg).values).toEqual(expected);
        },
      ),
    );
    expect(parseSweepArg("train.depth=range(2,8,2)").values).toEqual([2, 4, 6]);
    expect(parseSweepArg("lr=range(0.1,0.4,0.1)").values).toEqual([0.1, 0.2, 0.3]);
  });

  it("never throws anything but a usage error, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (arg) => {
        try {
          parseSweepArg(arg);
        } catch (thrown) {
          expect(thrown).toBeInstanceOf(TrainyardError);
          expect((thrown as TrainyardError).code).toBe("usage");
        }
      }),
    );
  });

  it("refuses malformed arguments with a message that names them", () => {
    expect(() => parseSweepArg("train.n_est")).toThrow(/expected key=value/);
    expect(() => parseSweepArg("=3")).toThrow(/expected key=value/);
    expect(() => parseSweepArg("a..b=3")).toThrow(/not a dotted param key/);
    expect(() => parseSweepArg("a=1,,2")).toThrow(/empty value/);
    expect(() => parseSweepArg("a=range(1,5,0)")).toThrow(/must not be 0/);
    expect(() => parseSweepArg("a=range(0,1e9)")).toThrow(/at most/);
    expect(() => parseSweepArg("a={x: 1}")).toThrow(/single value/);
  });
});

describe("grid expansion", () => {
  const axes = fc
    .uniqueArray(
      fc.tuple(key, fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 4 })),
      {
        minLength: 1,
        maxLength: 4,
        selector: ([k]) => k,
      },
    )
    .map((list) => list.map(([k, values]) => ({ key: k, values })));

  it("holds every combination exactly once, the first axis varying slowest", () => {
    fc.assert(
      fc.property(axes, (list) => {
        const grid = expandGrid(list);
        expect(grid.length).toBe(list.reduce((n, a) => n * a.values.length, 1));
        expect(new Set(grid.map((v) => JSON.stringify(v))).size).toBe(grid.length);
        for (const variant of grid) expect(variant.map(([k]) => k)).toEqual(list.map((a) => a.key));
        expect(grid[0]?.map(([, v]) => v)).toEqual(list.map((a) => a.values[0]));
        const first = list[0] as { values: number[] };
        const block = grid.length / first.values.length;
        first.values.forEach((v, i) => {
          for (const variant of grid.slice(i * block, (i + 1) * block)) expect(variant[0]?.[1]).toBe(v);
        });
      }),
    );
  });

  it("refuses the same key twice", () => {
    expect(() => expandGrid([parseSweepArg("a=1"), parseSweepArg("a=2")])).toThrow(/given twice/);
  });

  it("--random K --seed S draws K distinct variants, in grid order, the same ones for the same seed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 80 }),
        fc.nat(),
        (n, k, seed) => {
          const grid = Array.from({ length: n }, (_, i) => i);
          const picked = sampleGrid(grid, k, seed);
          expect(picked.length).toBe(Math.min(k, n));
          expect(new Set(picked).size).toBe(picked.length);
          expect([...picked].sort((a, b) => a - b)).toEqual(picked);
          expect(sampleGrid(grid, k, seed)).toEqual(picked);
        },
      ),
    );
  });
});

describe("experiment names", () => {
  it("auto names are deterministic, ref-safe and ignore the order of -S", () => {
    const base = "a".repeat(40);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, scalar), { selector: ([k]) => k, maxLength: 5 }),
        (overrides) => {
          const name = autoExperimentName(base, overrides);
          expect(experimentNameProblem(name)).toBeUndefined();
          expect(autoExperimentName(base, [...overrides].reverse())).toBe(name);
          expect(parseExperimentRef(experimentRef(base, name))).toEqual({ base, name });
        },
      ),
    );
  });

  it("refuses names git would refuse or that would escape the ref namespace", () => {
    for (const bad of [
      "",
      "a/b",
      "..",
      "a..b",
      ".hidden",
      "-x",
      "x.lock",
      "a b",
      "x@{1}",
      "a~1",
      "a^",
      "a:b",
      "a?",
      "a*",
      "a[",
      "a\\b",
      "x.",
      `${"n".repeat(101)}`,
    ]) {
      expect(experimentNameProblem(bad), bad).toBeDefined();
    }
    expect(() => sweepNames("a".repeat(40), [[]], "../../heads/main")).toThrow(TrainyardError);
    expect(sweepNames("a".repeat(40), [[], []], "grid")).toEqual(["grid-1", "grid-2"]);
  });
});

describe("params overrides", () => {
  const text = "# tuned by hand\ntrain:\n  n_estimators: 25 # trees\n  max_depth: 4\nprepare:\n  seed: 1\n";
  it("changes only the named values and keeps comments", () => {
    const out = applyParamOverrides(text, "params.yaml", [
      ["train.n_estimators", 50],
      ["prepare.seed", 7],
    ]);
    expect(out).toBe(
      "# tuned by hand\ntrain:\n  n_estimators: 50 # trees\n  max_depth: 4\nprepare:\n  seed: 7\n",
    );
  });
  it("refuses a key the params file does not hold, with a hint", () => {
    expect(() => applyParamOverrides(text, "params.yaml", [["train.n_estimator", 1]])).toThrow(
      /did you mean "train.n_estimators"/,
    );
    expect(() => applyParamOverrides(text, "params.yaml", [["train", 1]])).toThrow(/section/);
  });
});
