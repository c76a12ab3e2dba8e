/** The write guard on real temporary folders: inside is fine; outside, .git and any symlink on the way are refused by name. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WriteGuard } from "../../src/io/fs/index.js";

let root: string;
let outside: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "trainyard-guard-root-")));
  outside = realpathSync(mkdtempSync(join(tmpdir(), "trainyard-guard-out-")));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("WriteGuard", () => {
  it("allows paths inside the repository, existing or not", () => {
    mkdirSync(join(root, "data"));
    const guard = new WriteGuard(root);
    expect(guard.check(join(root, "data", "a.csv"))).toBe(join(root, "data", "a.csv"));
    expect(guard.check(join(root, "new", "deep", "b.csv"))).toBe(join(root, "new", "deep", "b.csv"));
  });

  it("refuses the outside, the root itself and any .git folder", () => {
    const guard = new WriteGuard(root);
    expect(() => guard.check(join(outside, "x"))).toThrow(/outside the repository/);
    expect(() => guard.check(join(root, "..", "x"))).toThrow(/outside the repository/);
    expect(() => guard.check(root)).toThrow(/outside the repository/);
    expect(() => guard.check(join(root, ".git", "hooks", "pre-commit"))).toThrow(
      /\.git\/hooks\/pre-commit.*\.git folder/,
    );
    expect(() => guard.check(join(root, "data", ".GIT", "config"))).toThrow(/\.git folder/);
  });

  it("refuses a symlinked folder on the way and a symlink as the destination, naming it", () => {
    symlinkSync(outside, join(root, "models"));
    writeFileSync(join(outside, "card.md"), "x");
    symlinkSync(join(outside, "card.md"), join(root, "README.md"));
    const guard = new WriteGuard(root);
    expect(() => guard.check(join(root, "models", "model.pkl"))).toThrow(
      `refusing to write models/model.pkl: models is a symbolic link (to ${outside})`,
    );
    expect(() => guard.check(join(root, "README.md"))).toThrow(/README\.md is a symbolic link/);
  });

  it("sees a folder replaced by a symlink after reset()", () => {
    mkdirSync(join(root, "out"));
    const guard = new WriteGuard(root);
    guard.check(join(root, "out", "a"));
    rmSync(join(root, "out"), { recursive: true });
    symlinkSync(outside, join(root, "out"));
    guard.reset();
    expect(() => guard.check(join(root, "out", "a"))).toThrow(/symbolic link/);
  });
});
