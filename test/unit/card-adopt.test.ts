/** A card without manual markers keeps its prose through regeneration; a card with markers is left alone. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ADOPTED_REGION, adoptHandWrittenCard, parseCard } from "../../src/core/card/index.js";

describe("adoptHandWrittenCard", () => {
  it("wraps any marker-free prose, unchanged, into one manual region (property)", () => {
    const line = fc
      .string({ maxLength: 40 })
      .filter((s) => !s.includes("\n") && !s.includes("<!--") && s.trim() !== "---");
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const prose = lines.join("\n");
        fc.pre(prose.trim() !== "");
        const { text, adopted } = adoptHandWrittenCard(`${prose}\n`, "README.md");
        expect(adopted).toBe(true);
        expect(parseCard(text, "README.md").manual.get(ADOPTED_REGION)).toBe(prose.trim());
        // Adopting again changes nothing: the card has a region now.
        expect(adoptHandWrittenCard(text, "README.md")).toEqual({ text, adopted: false });
      }),
    );
  });

  it("keeps front matter above the adopted region", () => {
    const { text } = adoptHandWrittenCard("---\nlicense: mit\n---\n# Mine\n\nHand-written.\n", "README.md");
    const card = parseCard(text, "README.md");
    expect(card.frontMatter).toEqual({ license: "mit" });
    expect(card.manual.get(ADOPTED_REGION)).toBe("# Mine\n\nHand-written.");
  });
});
