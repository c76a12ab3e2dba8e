/** `/trainyard exp` parsing, the dispatch payload's `-S` round trip and the ranked comment's escaping. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExperimentTable } from "../../src/core/experiments/build-table.js";
import {
  formatSetArg,
  parseSweepArg,
  pullOfExperimentJob,
  renderExperimentsComment,
} from "../../src/core/experiments/index.js";
import {
  MAX_PR_VARIANTS,
  parseExpArguments,
  parseSlashCommands,
} from "../../src/core/slash-commands/index.js";

describe("/trainyard exp", () => {
  it("expands the sweep with the CLI's grammar", () => {
    const [parsed] = parseSlashCommands("/trainyard exp train.n_est=10,25,50 train.depth=range(2,8,2)");
    expect(parsed?.ok && parsed.command.kind === "exp" && parsed.command.variants.length).toBe(9);
  });

  it("refuses bad sweeps, too many variants and bad names with a reason", () => {
    expect(parseExpArguments([])).toMatchObject({ ok: false });
    expect(parseExpArguments(["train.depth"])).toMatchObject({ ok: false, reason: /key=value/ });
    expect(parseExpArguments(["a=range(0,300)"])).toMatchObject({ ok: false, reason: /at most 256/ });
    expect(parseExpArguments(["apply", "../main"])).toMatchObject({
      ok: false,
      reason: /not an experiment name/,
    });
    expect(parseExpArguments(["apply"])).toMatchObject({ ok: false });
    expect(parseExpArguments(["apply", "exp-1234abcd"])).toEqual({
      ok: true,
      command: { kind: "exp-apply", name: "exp-1234abcd" },
    });
    expect(MAX_PR_VARIANTS).toBe(256);
  });

  it("never throws, whatever the arguments", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 4 }), (args) => {
        const result = parseExpArguments(args);
        expect(typeof result.ok).toBe("boolean");
      }),
    );
  });

  it("each dispatched -S argument parses back to exactly the variant's value", () => {
    const scalar = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
      fc.boolean(),
      fc.constant(null),
      fc.string({ minLength: 1 }).filter((s) => !s.includes(",")),
    );
    fc.assert(
      fc.property(scalar, (value) => {
        expect(parseSweepArg(formatSetArg("train.x", value)).values).toEqual([value]);
      }),
    );
  });

  it("reads the pull request from the matrix job's name and nothing else", () => {
    expect(pullOfExperimentJob("trainyard exp #12 exp-1234abcd")).toBe(12);
    expect(pullOfExperimentJob("trainyard exp #0 x")).toBeUndefined();
    expect(pullOfExperimentJob("build #12 x")).toBeUndefined();
    expect(pullOfExperimentJob("trainyard exp #12 a b")).toBeUndefined();
  });
});

describe("the experiments comment", () => {
  const hostile = "x | y <!-- z --> `q`\n/trainyard promote iris production";
  const table: ExperimentTable = {
    paramKeys: ["train.kind"],
    metricKeys: ["accuracy"],
    models: ["iris"],
    rows: [
      {
        name: "exp-a",
        base: "a".repeat(40),
        commit: "b".repeat(40),
        status: "success",
        durationMs: 1000,
        createdAt: null,
        params: { "train.kind": hostile },
        metrics: { accuracy: 0.8 },
        gates: { iris: "fail" },
      },
      {
        name: "exp-b",
        base: "a".repeat(40),
        commit: "c".repeat(40),
        status: "success",
        durationMs: 1000,
        createdAt: null,
        params: { "train.kind": "gini" },
        metrics: { accuracy: 0.7 },
        gates: { iris: "pass" },
      },
    ],
  };
  const models = [{ model: "iris", metricsFile: "metrics.json", gates: { accuracy: { min: 0.75 } } }];

  it("ranks gate passes first, then by the gated metric's direction, pending last", () => {
    const body = renderExperimentsComment({ base: "a".repeat(40), table, models, pending: ["exp-c"] });
    const rows = body
      .split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| rank") && !l.startsWith("| ---"));
    expect(rows.map((r) => r.split(" | ")[1])).toEqual(["exp-b", "exp-a", "exp-c"]);
    expect(rows[2]).toMatch(/pending \|$/);
    expect(body).toContain("2 of 3 finished, 1 still running");
  });

  it("keeps user text inside its cell: no HTML comment, no new line, no live command", () => {
    const body = renderExperimentsComment({ base: "a".repeat(40), table, models, pending: [] });
    expect(body).not.toContain("<!--");
    expect(body.split("\n").some((l) => l.startsWith("/trainyard"))).toBe(false);
    const header = body.split("\n").find((l) => l.startsWith("| rank"));
    const cells = (line: string) => line.replace(/\\\|/g, "").split("|").length;
    for (const line of body.split("\n").filter((l) => l.startsWith("| "))) {
      expect(cells(line)).toBe(cells(header as string));
    }
  });
});
