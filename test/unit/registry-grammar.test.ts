import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bumpVersion,
  compareVersions,
  formatRegistryTag,
  formatTagMessage,
  parseRegistryRef,
  parseRegistryTag,
  parseTagMessage,
  type RegistryTag,
} from "../../src/core/registry/index.js";

describe("GTO tag grammar", () => {
  it.each([
    ["iris@v1.3.0", { action: "register", artifact: "iris", version: "v1.3.0" }],
    ["iris#production#4", { action: "assign", artifact: "iris", stage: "production", counter: 4 }],
    ["iris@deprecated", { action: "deprecate", artifact: "iris" }],
    ["iris@v1.3.0!", { action: "deregister", artifact: "iris", version: "v1.3.0" }],
    ["iris#production!#5", { action: "unassign", artifact: "iris", stage: "production", counter: 5 }],
    ["iris#staging", { action: "assign", artifact: "iris", stage: "staging" }],
    [
      "models/cv=resnet-50@v2.0.0-rc.1+build.5",
      { action: "register", artifact: "models/cv:resnet-50", version: "v2.0.0-rc.1+build.5" },
    ],
    ["iris@deprecated#9", { action: "deprecate", artifact: "iris", counter: 9 }],
  ])("parses %s", (name, expected) => {
    expect(parseRegistryTag(name)).toEqual(expected);
    expect(formatRegistryTag(parseRegistryTag(name) as RegistryTag)).toBe(name);
  });

  it.each([
    "v1.0.0",
    "iris@1.3.0",
    "iris_@v1.0.0",
    "iris@v1.0",
    "iris#Prod-#1",
    "iris#prod#01",
    "-iris@v1.0.0",
    "iris#",
    "@v1.0.0",
    "iris@v01.0.0",
  ])("rejects %s", (name) => expect(parseRegistryTag(name)).toBeUndefined());

  const name = fc.stringMatching(/^[a-z0-9]([a-z0-9/-]{0,8}[a-z0-9])?$/);
  const version = fc
    .tuple(fc.nat(30), fc.nat(30), fc.nat(30), fc.option(fc.constantFrom("rc.1", "alpha", "beta.2.x")))
    .map(([a, b, c, pre]) => `v${a}.${b}.${c}${pre ? `-${pre}` : ""}`);
  const counter = fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined });
  const tag: fc.Arbitrary<RegistryTag> = fc
    .oneof(
      fc.record({
        action: fc.constantFrom("register" as const, "deregister" as const),
        artifact: name,
        version,
        counter,
      }),
      fc.record({
        action: fc.constantFrom("assign" as const, "unassign" as const),
        artifact: name,
        stage: name,
        counter,
      }),
      fc.record({ action: fc.constant("deprecate" as const), artifact: name, counter }),
    )
    .map(
      (t) =>
        Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as unknown as RegistryTag,
    );

  it("property: parse ∘ format is the identity on registry tags", () => {
    fc.assert(
      fc.property(tag, (t) => {
        expect(parseRegistryTag(formatRegistryTag(t))).toEqual(t);
      }),
      { numRuns: 500 },
    );
  });

  it("property: parsing never throws, and whatever parses formats back to the same text", () => {
    const noisy = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^[a-z0-9@#!=.\-/v]{0,24}$/),
      tag.map((t) => formatRegistryTag(t)),
    );
    fc.assert(
      fc.property(noisy, (text) => {
        const parsed = parseRegistryTag(text);
        if (parsed) expect(formatRegistryTag(parsed)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it("parses shortcuts people type", () => {
    expect(parseRegistryRef("iris@v1.3.0")).toEqual({ artifact: "iris", version: "v1.3.0" });
    expect(parseRegistryRef("iris#production")).toEqual({ artifact: "iris", stage: "production" });
    expect(parseRegistryRef("iris@latest")).toEqual({ artifact: "iris", latest: true });
    expect(parseRegistryRef("iris")).toEqual({ artifact: "iris" });
    expect(parseRegistryRef("data/raw.csv")).toBeUndefined();
  });
});

describe("semver", () => {
  it("orders releases above prereleases and numerically", () => {
    const sorted = ["v1.10.0", "v1.2.0", "v1.2.0-rc.1", "v1.2.0-rc.10", "v1.2.0-rc.2", "v0.9.9"].sort(
      compareVersions,
    );
    expect(sorted).toEqual(["v0.9.9", "v1.2.0-rc.1", "v1.2.0-rc.2", "v1.2.0-rc.10", "v1.2.0", "v1.10.0"]);
  });

  it("bumps, starting at v1.0.0", () => {
    expect(bumpVersion(undefined, "minor")).toBe("v1.0.0");
    expect(bumpVersion("v1.3.7", "minor")).toBe("v1.4.0");
    expect(bumpVersion("v1.3.7", "major")).toBe("v2.0.0");
    expect(bumpVersion("v1.3.7", "patch")).toBe("v1.3.8");
    expect(bumpVersion("v1.3.0-rc.1", "patch")).toBe("v1.3.0");
  });
});

describe("tag message", () => {
  it("carries who, why, metrics and the card hash as parseable text", () => {
    const m = {
      summary: "Register iris v1.3.0",
      actor: "alice",
      reason: "merged PR #12\nsecond line",
      type: "model" as const,
      metrics: { accuracy: 0.95, f1: Number.NaN, note: "ok" },
      cardHash: "sha256:abc",
      lockHash: "sha256:def",
    };
    const text = formatTagMessage(m);
    expect(text.split("\n")[0]).toBe("Register iris v1.3.0");
    expect(text).toContain("Trainyard-Reason: merged PR #12 second line");
    const back = parseTagMessage(text);
    expect(back).toEqual({ ...m, reason: "merged PR #12 second line" });
  });

  it("reads messages written by other tools without failing", () => {
    expect(parseTagMessage("Registered by GTO\n\nsome text: here\nTrainyard-Metrics: {broken")).toEqual({
      summary: "Registered by GTO",
    });
  });

  it("property: CRLF or LF line ends and spaces around values do not change the reading", () => {
    // The same message rewritten line by line (LF ends, values trimmed, lines without a field
    // dropped) must read the same: the parser walks the text in place, without splitting it.
    const byLines = (text: string) => {
      const [first = "", ...rest] = text.replace(/\r\n/g, "\n").split("\n");
      const fields = rest
        .filter((l) => l.includes(": "))
        .map((l) => `${l.slice(0, l.indexOf(": "))}: ${l.slice(l.indexOf(": ") + 2).trim()}`);
      return parseTagMessage([first.trim(), ...fields].join("\n"));
    };
    const piece = fc.constantFrom(
      "\n",
      "\r\n",
      "\r",
      ": ",
      " ",
      "x",
      "Trainyard-Actor",
      "Trainyard-Reason",
      "Trainyard-Type: dataset",
      'Trainyard-Metrics: {"a": 1}',
      "Trainyard-After: 7",
      "Trainyard-Forced: true",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join("");
        const parsed = parseTagMessage(text);
        expect(parsed).toEqual(byLines(text));
        // Key order too: the history's --json prints the message as parsed.
        expect(Object.keys(parsed)).toEqual(Object.keys(byLines(text)));
      }),
      { numRuns: 500 },
    );
  });

  it("property: parse ∘ format keeps every field", () => {
    const line = fc
      .string({ minLength: 1, maxLength: 20 })
      .map((s) => s.replace(/\s+/g, " ").trim())
      .filter(Boolean);
    fc.assert(
      fc.property(
        fc.record(
          {
            summary: line,
            actor: line,
            reason: line,
            metrics: fc.dictionary(
              fc.string({ minLength: 1, maxLength: 8 }),
              fc.oneof(
                fc.double().map((d) => (Object.is(d, -0) ? 0 : d)),
                fc.string(),
                fc.boolean(),
              ),
            ),
          },
          { requiredKeys: ["summary"] },
        ),
        (m) => {
          expect(parseTagMessage(formatTagMessage(m))).toEqual(m);
        },
      ),
      { numRuns: 300 },
    );
  });
});
