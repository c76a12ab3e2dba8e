import { describe, expect, it } from "vitest";
import { isSameOrInside, normalizeRepoPath, repoPathProblem } from "../../src/core/repo-path.js";

describe("repo paths in trainyard.yaml", () => {
  it("normalises harmless spellings", () => {
    expect(normalizeRepoPath("./data//raw/")).toBe("data/raw");
    expect(normalizeRepoPath("a/./b/../c")).toBe("a/c");
    expect(repoPathProblem("./src/")).toBeUndefined();
  });

  it("refuses absolute, escaping, root, .git, backslash, NUL and line-break paths", () => {
    expect(repoPathProblem("/etc/passwd")).toMatch(/is absolute/);
    expect(repoPathProblem("C:\\data")).toMatch(/is absolute/);
    expect(repoPathProblem("a/../../b")).toMatch(/escapes the repository/);
    expect(repoPathProblem(".")).toMatch(/repository root itself/);
    expect(repoPathProblem(".git/hooks")).toMatch(/inside \.git/);
    expect(repoPathProblem("data\\raw")).toMatch(/backslash/);
    expect(repoPathProblem("a\0b")).toMatch(/NUL/);
    // An out's .gitignore entry would split in two lines.
    expect(repoPathProblem("models/x\ny")).toMatch(/line break/);
    expect(repoPathProblem("models/x\r")).toMatch(/line break/);
  });

  it("compares by path segments, not string prefixes", () => {
    expect(isSameOrInside("data/raw/x", "data/raw")).toBe(true);
    expect(isSameOrInside("data/raw2", "data/raw")).toBe(false);
  });
});
