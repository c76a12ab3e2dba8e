import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeTemplate, interpolate, parseTemplate } from "../../src/core/config/template.js";

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);

describe("the ${…} template parser (properties)", () => {
  it("never throws, and a failure names an offset inside the text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("$", "{", "}", "\\", ".", "[", "]", "a", "0", " ") }),
        (text) => {
          const parsed = parseTemplate(text);
          if (!parsed.ok) expect(parsed.offset).toBeGreaterThanOrEqual(0);
          if (!parsed.ok) expect(parsed.offset).toBeLessThan(text.length);
        },
      ),
    );
  });

  it("reads escaped text back as the same literal, whatever it contains", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        // A backslash right before an escaped "${" would read as part of the escape; DVC has the same rule.
        fc.pre(!text.includes("\\"));
        const result = interpolate(escapeTemplate(text), {});
        expect(result).toEqual({ ok: true, value: text });
      }),
    );
  });

  it("substitutes every reference with its value and keeps the text around it", () => {
    const segment = fc.record({
      before: fc.string().filter((s) => !s.includes("$") && !s.includes("\\")),
      key: identifier,
      value: fc.oneof(
        fc.string().filter((s) => !s.includes("${")),
        fc.integer(),
        fc.boolean(),
      ),
    });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const context: Record<string, unknown> = {};
        for (const s of segments) context[s.key] = s.value;
        const text = segments.map((s) => `${s.before}\${${s.key}}`).join("");
        const expected =
          segments.length === 1 && segments[0]?.before === ""
            ? context[segments[0].key]
            : segments.map((s) => `${s.before}${String(context[s.key])}`).join("");
        expect(interpolate(text, context)).toEqual({ ok: true, value: expected });
      }),
    );
  });

  it("a whole-string reference keeps the value's type; dotted and indexed access agree", () => {
    fc.assert(
      fc.property(identifier, fc.array(fc.integer(), { minLength: 1 }), (key, list) => {
        const context = { [key]: { list } };
        expect(interpolate(`\${${key}.list}`, context)).toEqual({ ok: true, value: list });
        const last = list.length - 1;
        expect(interpolate(`\${${key}.list[${last}]}`, context)).toEqual(
          interpolate(`\${${key}.list.${last}}`, context),
        );
      }),
    );
  });

  it("an unknown reference is an error, never the raw text", () => {
    fc.assert(
      fc.property(identifier, (key) => {
        const result = interpolate(`cmd \${${key}}`, {});
        expect(result.ok).toBe(false);
      }),
    );
  });
});
