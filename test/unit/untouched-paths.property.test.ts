import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { untouchedPaths } from "../../src/core/untouched-paths.js";

/** The definition, spelled out: a change touches a folder at or inside it. */
function naive(folders: readonly string[], changed: readonly string[]): Set<string> {
  const touches = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
  return new Set(folders.filter((folder) => !changed.some((path) => touches(path, folder))));
}

// Few distinct segments, so prefixes, shared parents and near-misses ("a" vs "ab") are common.
const segment = fc.constantFrom("a", "ab", "b", "data", "d.ta", "x y");
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));

describe("untouchedPaths", () => {
  it("keeps exactly the folders no change is at or inside", () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 6 }), fc.array(path, { maxLength: 8 }), (folders, changed) => {
        expect(untouchedPaths(folders, changed)).toEqual(naive(folders, changed));
      }),
      { numRuns: 500 },
    );
  });

  it("does not mistake a sibling with a longer name, or the folder above, for a folder's content", () => {
    expect(untouchedPaths(["data/a"], ["data/ab", "data/ab/x", "data"])).toEqual(new Set(["data/a"]));
    expect(untouchedPaths(["data/a"], ["data/a/deep/file"]).size).toBe(0);
  });
});
