import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { oidFromHex } from "../../src/core/oid.js";
import { renderStagesSection } from "../../src/core/report/stages-section.js";
import {
  describeOrigin,
  formatDuration,
  parseRunRecord,
  type RunRecord,
  serializeRunRecord,
} from "../../src/core/run-cache/run-record.js";
import { TRAINYARD_VERSION } from "../../src/core/version.js";
import packageJson from "../../package.json" with { type: "json" };

const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
const entry = fc.record({
  path: fc.string({ minLength: 1, maxLength: 20 }),
  hash: hex.map(oidFromHex),
  size: fc.nat(),
});
const record: fc.Arbitrary<RunRecord> = fc.record({
  fingerprint: hex.map(oidFromHex),
  stage: fc.string({ maxLength: 20 }),
  outs: fc.array(entry, { maxLength: 3 }),
  metrics: fc.array(entry, { maxLength: 2 }),
  plots: fc.array(entry, { maxLength: 2 }),
});

describe("run records", () => {
  it("round-trip through their stored form", () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(parseRunRecord(serializeRunRecord(r), r.fingerprint as `sha256:${string}`)).toEqual(r);
      }),
    );
  });

  it("are refused under another fingerprint (a renamed or forged record)", () => {
    fc.assert(
      fc.property(record, hex, (r, other) => {
        fc.pre(oidFromHex(other) !== r.fingerprint);
        expect(typeof parseRunRecord(serializeRunRecord(r), oidFromHex(other))).toBe("string");
      }),
    );
  });

  it("never throw on arbitrary text: garbage is a reason, not a record", () => {
    const fingerprint = oidFromHex("a".repeat(64));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        expect(typeof parseRunRecord(text, fingerprint)).toBe("string");
      }),
    );
  });

  it("say where a result came from and what it saved", () => {
    const base = {
      fingerprint: `sha256:${"b".repeat(64)}`,
      stage: "train",
      outs: [],
      metrics: [],
      plots: [],
    };
    const run = {
      startedAt: "2026-11-20T10:00:00.000Z",
      endedAt: "2026-11-20T10:04:12.000Z",
      durationMs: 252_000,
      exitCode: 0,
      host: "fv-az123",
      trainyardVersion: TRAINYARD_VERSION,
      nodeVersion: "20.20.2",
      commit: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
      workflowRunNumber: 412,
    };
    expect(describeOrigin({ ...base, run })).toBe(
      "first computed at a1b2c3d on 2026-11-20 by workflow run #412, saved 4 m 12 s",
    );
    const { workflowRunNumber: _, commit: __, ...local } = run;
    expect(describeOrigin({ ...base, run: local })).toBe(
      "first computed on 2026-11-20 by fv-az123, saved 4 m 12 s",
    );
    expect(describeOrigin(base)).toBe("");
    expect([850, 4_000, 252_000, 3_780_000].map(formatDuration)).toEqual([
      "850 ms",
      "4 s",
      "4 m 12 s",
      "1 h 3 m",
    ]);
  });

  it("TRAINYARD_VERSION is package.json's version", () => {
    expect(TRAINYARD_VERSION).toBe(packageJson.version);
  });
});

describe("stages section", () => {
  it("keeps a forged origin inside its cell: no HTML, no link, no new row", () => {
    const markdown = renderStagesSection([
      {
        stage: "train",
        action: "restored",
        durationMs: 80,
        restored: {
          source: "team",
          origin: "first computed by <img src=x onerror=alert(1)> | [click](https://evil.example)\n| x | y |",
          savedMs: 252_000,
        },
      },
      { stage: "evaluate", action: "up-to-date", durationMs: 3 },
    ]);
    expect(markdown).not.toContain("<img");
    expect(markdown).not.toMatch(/(?<!\\)\[click(?<!\\)\]/);
    const rows = markdown.split("\n").filter((l) => l.startsWith("| "));
    expect(rows).toHaveLength(4); // header, rule, two stages
    expect(markdown).toContain("0 ran, 1 restored, 1 up to date; the run cache saved 4 m 12 s.");
  });
});
