/**
 * Round trips against GTO's own grammar (gto/constants.py, current release), transcribed to
 * JavaScript regular expressions and kept here as the reference: every tag Trainyard writes must
 * match GTO's tag regex, and every name GTO accepts must be read back with the same meaning.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatRegistryTag,
  parseRegistryRef,
  parseRegistryTag,
  type RegistryTag,
} from "../../src/core/registry/index.js";

const GTO_DIRNAME = "[a-zA-Z0-9\\-_./]+";
const GTO_NAME = "[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?";
const GTO_SEMVER =
  "(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-(?:(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+(?:[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?";
/** GTO: `fullname`, with `:` between folder and name (what people type). */
const GTO_FULLNAME_RE = new RegExp(`^(?:${GTO_DIRNAME}:)?${GTO_NAME}$`);
/** GTO: `tag_re`; in tags the folder separator is `=` (`name_to_tag`). */
const GTO_TAG_RE = new RegExp(
  `^(?<artifact>(?:${GTO_DIRNAME}=)?${GTO_NAME})(?:(?:#(?<stage>${GTO_NAME})|@(?<version>v${GTO_SEMVER}))(?<cancel>!?)|@(?:(?<deprecated>deprecated)|(?<created>created)))(?:#(?<counter>[0-9]+))?$`,
);
/** GTO: `shortcut_re`. */
const GTO_SHORTCUT_RE = new RegExp(
  `^(?<artifact>(?:${GTO_DIRNAME}:)?${GTO_NAME})(?:#(?<stage>${GTO_NAME})|@(?<version>latest|greatest|v${GTO_SEMVER}))$`,
);

const gtoName = fc.stringMatching(new RegExp(`^${GTO_NAME}$`)).filter((s) => s.length <= 40);
const gtoDir = fc.stringMatching(new RegExp(`^${GTO_DIRNAME}$`)).filter((s) => s.length <= 30);
const gtoFullname = fc
  .tuple(fc.option(gtoDir, { nil: undefined }), gtoName)
  .map(([d, n]) => (d ? `${d}:${n}` : n));
const version = fc
  .tuple(
    fc.nat(99),
    fc.nat(99),
    fc.nat(99),
    fc.option(fc.constantFrom("rc.1", "alpha", "beta.2.x"), { nil: undefined }),
  )
  .map(([a, b, c, pre]) => `v${a}.${b}.${c}${pre ? `-${pre}` : ""}`);
const counter = fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined });

const tagFor = fc.oneof(
  fc.record({
    action: fc.constantFrom("register" as const, "deregister" as const),
    artifact: gtoFullname,
    version,
    counter,
  }),
  fc.record({
    action: fc.constantFrom("assign" as const, "unassign" as const),
    artifact: gtoFullname,
    stage: gtoName,
    counter,
  }),
  fc.record({
    action: fc.constantFrom("deprecate" as const, "create" as const),
    artifact: gtoFullname,
    counter,
  }),
);
const clean = (t: object) =>
  Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as unknown as RegistryTag;

describe("GTO interop: names and tags", () => {
  it("every tag Trainyard writes matches GTO's tag regex, with GTO's reading of each part", () => {
    fc.assert(
      fc.property(tagFor.map(clean), (tag) => {
        const text = formatRegistryTag(tag);
        const m = GTO_TAG_RE.exec(text);
        expect(m, text).not.toBeNull();
        const g = m?.groups ?? {};
        expect(g.artifact?.replaceAll("=", ":")).toBe(tag.artifact);
        expect(g.stage).toBe(tag.stage);
        expect(g.version).toBe(tag.version);
        expect(g.counter === undefined ? undefined : Number(g.counter)).toBe(tag.counter);
      }),
      { numRuns: 600 },
    );
  });

  it("every tag GTO writes (any name its grammar allows) is read back with the same meaning", () => {
    fc.assert(
      fc.property(tagFor.map(clean), (tag) => {
        const text = gtoFormat(tag);
        expect(GTO_TAG_RE.test(text)).toBe(true);
        expect(parseRegistryTag(text)).toEqual(tag);
      }),
      { numRuns: 600 },
    );
  });

  it("reads uppercase, '_' and folder-prefixed names that older Trainyard skipped", () => {
    expect(parseRegistryTag("Iris_V2@v1.0.0")).toEqual({
      action: "register",
      artifact: "Iris_V2",
      version: "v1.0.0",
    });
    expect(parseRegistryTag("vision=classifier@v1.0.0")).toEqual({
      action: "register",
      artifact: "vision:classifier",
      version: "v1.0.0",
    });
    expect(parseRegistryTag("projects/cv.v2=Res_Net#Prod_EU#3")).toEqual({
      action: "assign",
      artifact: "projects/cv.v2:Res_Net",
      stage: "Prod_EU",
      counter: 3,
    });
    expect(formatRegistryTag({ action: "register", artifact: "vision:classifier", version: "v1.0.0" })).toBe(
      "vision=classifier@v1.0.0",
    );
  });

  it("shortcuts: whatever GTO's shortcut regex accepts, Trainyard reads the same artifact, stage, version", () => {
    const shortcut = fc
      .tuple(
        gtoFullname,
        fc.oneof(
          gtoName.map((s) => `#${s}`),
          version.map((v) => `@${v}`),
          fc.constant("@latest"),
        ),
      )
      .map(([a, s]) => `${a}${s}`);
    fc.assert(
      fc.property(shortcut, (text) => {
        const g = GTO_SHORTCUT_RE.exec(text)?.groups;
        expect(g).toBeDefined();
        const ref = parseRegistryRef(text);
        expect(ref?.artifact).toBe(g?.artifact);
        expect(ref?.stage).toBe(g?.stage);
        if (g?.version === "latest") expect(ref?.latest).toBe(true);
        else expect(ref?.version).toBe(g?.version);
      }),
      { numRuns: 400 },
    );
    expect(parseRegistryRef("vision:classifier#production")).toEqual({
      artifact: "vision:classifier",
      stage: "production",
    });
  });

  it("rejects what GTO rejects", () => {
    for (const text of [
      "-iris@v1.0.0",
      "iris_@v1.0.0",
      "a:b:c@v1.0.0",
      "iris@1.0.0",
      "ir is@v1.0.0",
      "=iris@v1.0.0",
    ]) {
      expect(GTO_TAG_RE.test(text), text).toBe(false);
      expect(parseRegistryTag(text), text).toBeUndefined();
    }
    expect(GTO_FULLNAME_RE.test("dir:name")).toBe(true);
  });
});

/** How GTO spells a tag (`name_to_tag` of the full name, then the action's suffix). */
function gtoFormat(tag: RegistryTag): string {
  const artifact = tag.artifact.replace(":", "=");
  const counter = tag.counter === undefined ? "" : `#${tag.counter}`;
  switch (tag.action) {
    case "register":
    case "deregister":
      return `${artifact}@${tag.version}${tag.action === "deregister" ? "!" : ""}${counter}`;
    case "assign":
    case "unassign":
      return `${artifact}#${tag.stage}${tag.action === "unassign" ? "!" : ""}${counter}`;
    case "deprecate":
      return `${artifact}@deprecated${counter}`;
    case "create":
      return `${artifact}@created${counter}`;
  }
}
