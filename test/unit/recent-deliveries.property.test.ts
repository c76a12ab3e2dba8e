import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecentDeliveries } from "../../bot/recent-deliveries.js";

// The model: the ids added, oldest first; `capacity` bounds the list, `forget` removes one.
type Op = { kind: "add" | "forget" | "has"; id: string };

const op = fc.record({
  kind: fc.constantFrom<Op["kind"]>("add", "add", "forget", "has"),
  id: fc.constantFrom("a", "b", "c", "d"),
});

describe("the recent-deliveries memory (properties)", () => {
  it("answers `has` like a list of the last `capacity` adds, minus forgotten ids", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const recent = new RecentDeliveries(capacity);
        // Each add takes one slot in a ring, as GitHub's deliveries arrive: the receiver only adds
        // an id it does not hold (a held id is answered as a duplicate), so the model does too.
        let slots: (string | undefined)[] = [];
        const held = new Set<string>();
        for (const { kind, id } of ops) {
          if (kind === "has") {
            expect(recent.has(id)).toBe(held.has(id));
          } else if (kind === "forget") {
            recent.forget(id);
            held.delete(id);
          } else if (!held.has(id)) {
            recent.add(id);
            slots.push(id);
            if (slots.length > capacity) {
              const evicted = slots[0]!;
              slots = slots.slice(1);
              // The oldest slot goes; its id is forgotten unless it was re-added into a newer slot.
              if (!slots.includes(evicted)) held.delete(evicted);
            }
            held.add(id);
          }
          expect(recent.size).toBe(held.size);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps a forgotten and re-added id for a full round of new ids", () => {
    const recent = new RecentDeliveries(3);
    recent.add("failed");
    recent.forget("failed");
    recent.add("x");
    recent.add("failed");
    recent.add("y");
    // The slot that first held "failed" is reused here: the re-added id must survive it.
    recent.add("z");
    expect(recent.has("failed")).toBe(true);
    recent.add("w");
    recent.add("v");
    expect(recent.has("failed")).toBe(false);
  });

  it("refuses a capacity below one", () => {
    expect(() => new RecentDeliveries(0)).toThrow(/capacity/);
  });
});
