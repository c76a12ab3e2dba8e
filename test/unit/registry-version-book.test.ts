/**
 * The fold's commit index must answer exactly what a scan of every version in Map order answers:
 * the last live (registered, not withdrawn) version on a commit, also after a withdrawn version is
 * registered again on another commit (the Map keeps its first position).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VersionBook, type WorkingVersion } from "../../src/core/registry/version-book.js";

function scan(book: Map<string, WorkingVersion>, commit: string): WorkingVersion | undefined {
  let found: WorkingVersion | undefined;
  for (const v of book.values()) if (v.commit === commit && v.registered && !v.deregistered) found = v;
  return found;
}

const op = fc.record({
  key: fc.constantFrom("v1.0.0", "v1.1.0", "v2.0.0", "c1", "c2"),
  commit: fc.constantFrom("c1", "c2", "c3"),
  registered: fc.boolean(),
  withdraw: fc.boolean(),
});

describe("VersionBook.liveAt", () => {
  it("equals a scan of the versions in Map order", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const book = new VersionBook();
        for (const o of ops) {
          const existing = book.get(o.key);
          if (o.withdraw && existing) existing.deregistered = true;
          else
            book.set(o.key, {
              version: o.key,
              commit: o.commit,
              registered: o.registered,
              deregistered: false,
              date: 0,
              activeStages: [],
              assignedAt: new Map(),
            });
          for (const c of ["c1", "c2", "c3"]) expect(book.liveAt(c)).toBe(scan(book, c));
        }
      }),
    );
  });
});
